namespace Enigm.Trust.Tests.Transparency.Support;

/// <summary>
/// Finds <c>../shared/vectors</c> relative to the repository root (the folder holding Enigm.slnx), or the
/// folder named by ENIGM_VECTORS, as Enigm.Crypto.Tests' VectorFiles does. A missing folder fails
/// loudly: vectors are never optional.
/// </summary>
internal static class MerkleVectorFiles
{
    private static readonly Lazy<string> RootPath = new(Locate);

    public static string Root => RootPath.Value;

    /// <summary>Every JSON case under <c>merkle/&lt;kind&gt;</c> (inclusion or consistency), sorted by relative path.</summary>
    public static IReadOnlyList<string> Cases(string kind)
    {
        var folder = Path.Combine(Root, "merkle", kind);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Merkle vectors missing: {folder}.");
        return [.. Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
    }

    private static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("ENIGM_VECTORS");
        if (!string.IsNullOrEmpty(fromEnvironment))
            return Directory.Exists(fromEnvironment)
                ? fromEnvironment
                : throw new DirectoryNotFoundException($"ENIGM_VECTORS points to {fromEnvironment}, which does not exist.");

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Enigm.slnx"))) continue;
            var vectors = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "vectors"));
            return Directory.Exists(vectors)
                ? vectors
                : throw new DirectoryNotFoundException(
                    $"Test vectors not found at {vectors} (expected ../shared/vectors beside the repository, or set ENIGM_VECTORS).");
        }

        throw new DirectoryNotFoundException($"Repository root (Enigm.slnx) not found above {AppContext.BaseDirectory}.");
    }
}
