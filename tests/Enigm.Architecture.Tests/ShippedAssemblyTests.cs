using Enigm.Architecture.Tests.Rules;
using Enigm.Architecture.Tests.Support;
using Xunit;

namespace Enigm.Architecture.Tests;

/// <summary>
/// Every shipped assembly, as compiled for this test run, against <see cref="NeverRules"/>. The assemblies
/// come from this project's references to every src/ project; a new src/ project must be added there.
/// </summary>
public sealed class ShippedAssemblyTests
{
    private static readonly Lazy<IReadOnlyList<ProjectNode>> Shipped = new(() =>
        [.. ProjectGraph.Load(RepositoryRoot.Folder).Projects.Where(p => p.Shipped)]);

    public static TheoryData<string> ShippedProjects()
    {
        var data = new TheoryData<string>();
        foreach (var project in Shipped.Value) data.Add(project.Name);
        return data;
    }

    private static AssemblyFacts Facts(string project)
    {
        var node = Shipped.Value.Single(p => p.Name == project);
        var path = Path.Combine(AppContext.BaseDirectory, node.AssemblyName + ".dll");
        Assert.True(File.Exists(path), $"{path} is missing: reference {project} from Enigm.Architecture.Tests.csproj");
        return AssemblyFacts.Read(path);
    }

    [Fact]
    public void Every_shipped_project_is_referenced_here_so_its_assembly_is_inspected()
    {
        var self = ProjectGraph.Load(RepositoryRoot.Folder).Projects.Single(p => p.Name == "Enigm.Architecture.Tests");

        Assert.Equal(Shipped.Value.Select(p => p.Name).Order(StringComparer.Ordinal), self.References.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ShippedProjects))]
    public void Shipped_assembly_breaks_no_never_rule(string project)
    {
        var violations = NeverRules.Violations(project, Facts(project));

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void The_checks_see_real_references_in_the_shipped_assemblies()
    {
        // Witnesses that the metadata reading works on the real binaries, so an empty result above means something.
        Assert.Contains("Microsoft.Data.Sqlite.SqliteConnection", Facts("Enigm.Keys").TypeReferences);
        Assert.Contains("Enigm.Crypto.Secrets.PrivateKey::ExportPrivateMaterial", Facts("Enigm.Keys").MemberReferences);
        Assert.Contains(Facts("Enigm.Ota").TypeReferences, t => t.StartsWith("System.Net.Http.", StringComparison.Ordinal));
        Assert.NotEmpty(NeverRules.Uses(Facts("Enigm.Ota"), NeverRules.InputOutputApis));
        Assert.Contains("Enigm.Crypto", Facts("Enigm.Trust").AssemblyReferences);
    }
}
