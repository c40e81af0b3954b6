using System.Xml.Linq;

namespace Enigm.Architecture.Tests.Rules;

/// <summary>
/// The ProjectReference graph of a repository, read from the csproj files: each project by name (its file
/// name without extension), its folder kind (src, tests, fuzz, bench) and the projects it references.
/// </summary>
public sealed record ProjectGraph(IReadOnlyList<ProjectNode> Projects)
{
    public static ProjectGraph Load(string repositoryRoot)
    {
        var projects = new List<ProjectNode>();
        foreach (var kind in new[] { "src", "tests", "fuzz", "bench" })
        {
            var folder = Path.Combine(repositoryRoot, kind);
            if (!Directory.Exists(folder)) continue;
            foreach (var csproj in Directory.GetFiles(folder, "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                if (csproj.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) continue;
                projects.Add(Read(kind, csproj));
            }
        }

        return new ProjectGraph(projects);
    }

    private static ProjectNode Read(string kind, string csproj)
    {
        var document = XDocument.Load(csproj);
        var references = document.Descendants()
            .Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => e.Attribute("Include")?.Value ?? throw new InvalidDataException($"{csproj}: ProjectReference without Include"))
            .Select(include => Path.GetFileNameWithoutExtension(include.Replace('\\', '/')))
            .ToList();
        var assemblyName = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "AssemblyName")?.Value;
        var name = Path.GetFileNameWithoutExtension(csproj);
        return new ProjectNode(name, kind, assemblyName ?? name, references);
    }
}

/// <summary>One project: <see cref="Kind"/> is the top folder it lives in (src projects are the shipped ones).</summary>
public sealed record ProjectNode(string Name, string Kind, string AssemblyName, IReadOnlyList<string> References)
{
    public bool Shipped => Kind == "src";
}
