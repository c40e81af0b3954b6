namespace Enigm.Architecture.Tests.Rules;

/// <summary>Checks a <see cref="ProjectGraph"/> against a <see cref="Layering"/>; returns one line per violation.</summary>
public static class LayeringCheck
{
    public static IReadOnlyList<string> Violations(ProjectGraph graph, Layering layering)
    {
        var violations = new List<string>();
        var byName = graph.Projects.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var project in graph.Projects.Where(p => p.Shipped))
        {
            if (!layering.LayerOf.TryGetValue(project.Name, out var layer))
            {
                violations.Add($"{project.Name} is not in the layering: give it a layer (and a row in docs/architecture.md)");
                continue;
            }

            foreach (var target in project.References)
            {
                if (!byName.TryGetValue(target, out var node) || !node.Shipped)
                    violations.Add($"{project.Name} -> {target}: a shipped project references a project outside src/");
                else if (!layering.LayerOf.TryGetValue(target, out var targetLayer))
                    violations.Add($"{project.Name} -> {target}: {target} is not in the layering");
                else if (targetLayer >= layer)
                    violations.Add($"{project.Name} (layer {layer}) -> {target} (layer {targetLayer}): references must point to a lower layer");
                else if (layering.ForbiddenEdges.Contains((project.Name, target)))
                    violations.Add($"{project.Name} -> {target}: forbidden reference");
            }
        }

        return violations;
    }
}
