using Enigm.Ota.Errors;

namespace Enigm.Ota.Client;

/// <summary>Checks on repository-relative paths before any fetcher turns them into a file or URL.</summary>
internal static class RepositoryPaths
{
    /// <summary>
    /// A path from metadata is attacker-influenced: it must be relative, use '/' separators and
    /// have no empty, "." or ".." segment, so it cannot leave the repository root.
    /// </summary>
    public static string[] Segments(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/');
        if (path.Length == 0 || path.Length > 4096 || path.Contains('\\', StringComparison.Ordinal) || path.Contains('\0', StringComparison.Ordinal)
            || segments.Any(s => s.Length == 0 || s is "." or ".."))
            throw new RepositoryException($"Refusing repository path \"{path}\".");
        return segments;
    }
}
