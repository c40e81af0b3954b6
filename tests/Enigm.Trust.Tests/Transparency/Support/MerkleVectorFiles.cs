using Enigm.Crypto.Tests.Support;

namespace Enigm.Trust.Tests.Transparency.Support;

/// <summary>
/// The RFC 6962/9162 proof vectors under <c>merkle/</c> of the shared vector folder, located by
/// Enigm.Crypto.Tests' <see cref="VectorFiles"/> (compiled into this project too). A missing folder
/// fails loudly: vectors are never optional.
/// </summary>
internal static class MerkleVectorFiles
{
    /// <summary>Every JSON case under <c>merkle/&lt;kind&gt;</c> (inclusion or consistency), sorted by relative path.</summary>
    public static IReadOnlyList<string> Cases(string kind)
    {
        var folder = Path.Combine(VectorFiles.Root, "merkle", kind);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Merkle vectors missing: {folder}.");
        return [.. Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
    }
}
