using System.Text.Json;

namespace Enigm.Crypto.Tests.Support;

/// <summary>
/// Finds the test vectors: the folder named by ENIGM_VECTORS if set (another copy, e.g. a fuller set),
/// else <c>vectors/</c> in the repository root (the folder holding Enigm.slnx), the vendored copy
/// described in vectors/README.md. A missing folder or file fails loudly: vectors are never optional.
/// </summary>
public static class VectorFiles
{
    private static readonly Lazy<string> RootPath = new(Locate);

    public static string Root => RootPath.Value;

    /// <summary>ENIGM_FULL_VECTORS=1 runs the slow sets (SLH-DSA signing) in full instead of their sample.</summary>
    public static bool Full => Environment.GetEnvironmentVariable("ENIGM_FULL_VECTORS") == "1";

    public static JsonDocument Load(string relativePath)
    {
        var path = Path.Combine(Root, relativePath);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Vector file {relativePath} is missing under {Root}.", path);
        using var stream = File.OpenRead(path);
        return JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 16 });
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
            var vectors = Path.Combine(dir.FullName, "vectors");
            return Directory.Exists(vectors)
                ? vectors
                : throw new DirectoryNotFoundException(
                    $"Test vectors not found at {vectors} (the repository's vectors/ folder, or set ENIGM_VECTORS).");
        }

        throw new DirectoryNotFoundException($"Repository root (Enigm.slnx) not found above {AppContext.BaseDirectory}.");
    }
}
