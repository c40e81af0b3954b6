using Enigm.Architecture.Tests.Rules;
using Enigm.Architecture.Tests.Support;
using Xunit;

namespace Enigm.Architecture.Tests;

/// <summary>
/// The csproj ProjectReference graph against the layering of docs/architecture.md: the repository's own
/// graph passes, and each kind of violation is caught in a synthetic graph (or in csproj files on disk).
/// </summary>
public sealed class ProjectReferenceTests
{
    private static ProjectNode Src(string name, params string[] references) => new(name, "src", name, references);

    private static ProjectGraph Graph(params ProjectNode[] projects) => new(projects);

    [Fact]
    public void Shipped_project_references_point_downwards_only()
    {
        var graph = ProjectGraph.Load(RepositoryRoot.Folder);

        Assert.Contains(graph.Projects, p => p.Name == "Enigm.Crypto" && p.Shipped);
        var violations = LayeringCheck.Violations(graph, Layering.Enigm);
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Trust_no_longer_references_keys()
    {
        var trust = ProjectGraph.Load(RepositoryRoot.Folder).Projects.Single(p => p.Name == "Enigm.Trust");

        Assert.Equal(["Enigm.Crypto"], trust.References);
    }

    [Fact]
    public void A_graph_that_follows_the_layers_has_no_violations()
    {
        var graph = Graph(
            Src("Enigm.Crypto"),
            Src("Enigm.Keys", "Enigm.Crypto"),
            Src("Enigm.Trust", "Enigm.Crypto"),
            Src("Enigm.Ota", "Enigm.Crypto", "Enigm.Keys"),
            Src("Enigm.Messaging", "Enigm.Crypto", "Enigm.Trust"),
            Src("Enigm.Server", "Enigm.Trust", "Enigm.Ota", "Enigm.Keys"),
            Src("Enigm.Client", "Enigm.Messaging", "Enigm.Keys"),
            Src("Enigm.Cli", "Enigm.Client", "Enigm.Server", "Enigm.Ota"));

        Assert.Empty(LayeringCheck.Violations(graph, Layering.Enigm));
    }

    [Fact]
    public void An_upward_reference_is_caught()
    {
        var violations = LayeringCheck.Violations(Graph(Src("Enigm.Crypto", "Enigm.Keys"), Src("Enigm.Keys", "Enigm.Crypto")), Layering.Enigm);

        Assert.Equal("Enigm.Crypto (layer 0) -> Enigm.Keys (layer 1): references must point to a lower layer", Assert.Single(violations));
    }

    [Fact]
    public void A_reference_within_one_layer_like_trust_to_keys_is_caught()
    {
        var violations = LayeringCheck.Violations(
            Graph(Src("Enigm.Crypto"), Src("Enigm.Keys", "Enigm.Crypto"), Src("Enigm.Trust", "Enigm.Crypto", "Enigm.Keys")), Layering.Enigm);

        Assert.Contains("Enigm.Trust (layer 1) -> Enigm.Keys (layer 1)", Assert.Single(violations), StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_reference_to_messaging_or_client_is_caught()
    {
        var violations = LayeringCheck.Violations(
            Graph(Src("Enigm.Crypto"), Src("Enigm.Trust", "Enigm.Crypto"), Src("Enigm.Messaging", "Enigm.Crypto"),
                Src("Enigm.Server", "Enigm.Messaging")),
            Layering.Enigm);

        Assert.Equal("Enigm.Server -> Enigm.Messaging: forbidden reference", Assert.Single(violations));
        Assert.Contains(("Enigm.Server", "Enigm.Client"), Layering.Enigm.ForbiddenEdges);
    }

    [Fact]
    public void A_shipped_project_referencing_a_test_project_is_caught()
    {
        var violations = LayeringCheck.Violations(
            Graph(Src("Enigm.Keys", "Enigm.Keys.Tests"), new ProjectNode("Enigm.Keys.Tests", "tests", "Enigm.Keys.Tests", ["Enigm.Keys"])),
            Layering.Enigm);

        Assert.Equal("Enigm.Keys -> Enigm.Keys.Tests: a shipped project references a project outside src/", Assert.Single(violations));
    }

    [Fact]
    public void A_shipped_project_missing_from_the_layering_is_caught()
    {
        var violations = LayeringCheck.Violations(Graph(Src("Enigm.Crypto"), Src("Enigm.Gateway", "Enigm.Crypto")), Layering.Enigm);

        Assert.StartsWith("Enigm.Gateway is not in the layering", Assert.Single(violations), StringComparison.Ordinal);
    }

    [Fact]
    public void Csproj_files_on_disk_are_read_and_an_upward_reference_in_them_is_caught()
    {
        var root = Directory.CreateTempSubdirectory("enigm-arch-").FullName;
        try
        {
            WriteProject(root, "src/Enigm.Crypto/Enigm.Crypto.csproj", "../Enigm.Trust/Enigm.Trust.csproj");
            WriteProject(root, "src/Enigm.Trust/Enigm.Trust.csproj", "..\\Enigm.Crypto\\Enigm.Crypto.csproj");
            WriteProject(root, "tests/Enigm.Trust.Tests/Enigm.Trust.Tests.csproj", "../../src/Enigm.Trust/Enigm.Trust.csproj");

            var graph = ProjectGraph.Load(root);

            Assert.Equal(["Enigm.Crypto"], graph.Projects.Single(p => p.Name == "Enigm.Trust").References);
            Assert.False(graph.Projects.Single(p => p.Name == "Enigm.Trust.Tests").Shipped);
            Assert.Equal("Enigm.Crypto (layer 0) -> Enigm.Trust (layer 1): references must point to a lower layer",
                Assert.Single(LayeringCheck.Violations(graph, Layering.Enigm)));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void WriteProject(string root, string relativePath, string reference)
    {
        var path = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <ProjectReference Include="{reference}" />
              </ItemGroup>
            </Project>
            """);
    }
}
