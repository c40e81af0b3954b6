using Enigm.Ota.Errors;

namespace Enigm.Ota.Client;

/// <summary>
/// Where a downloaded target is written: its repository-relative path kept under the output folder,
/// so that <c>a/x.bin</c> and <c>b/x.bin</c> stay two files. A target path comes from signed metadata,
/// but a compromised or careless targets key must still not write outside the output folder: paths
/// that are absolute, have a drive letter or a colon, empty, "." or ".." segments, backslashes,
/// control characters, or segments Windows would silently rewrite (trailing dot or space) are refused,
/// and so is a path through an existing symbolic link.
/// </summary>
internal static class TargetOutputPath
{
    public static string Resolve(string outDirectory, string targetPath)
    {
        ArgumentNullException.ThrowIfNull(outDirectory);
        ArgumentNullException.ThrowIfNull(targetPath);
        string[] segments;
        try
        {
            segments = RepositoryPaths.Segments(targetPath);
        }
        catch (RepositoryException)
        {
            throw Refused(targetPath, "it is empty, absolute, or has an empty, \".\" or \"..\" segment or a backslash");
        }

        foreach (var segment in segments)
        {
            if (segment.Any(c => c == ':' || char.IsControl(c)))
                throw Refused(targetPath, "it has a colon (drive letter) or a control character");
            if (segment.EndsWith('.') || segment.EndsWith(' '))
                throw Refused(targetPath, "a segment ends with a dot or a space");
        }

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDirectory));
        var full = Path.GetFullPath(Path.Combine([root, .. segments]));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw Refused(targetPath, $"it resolves outside {root}");

        // An existing link inside the output folder could point anywhere.
        var current = root;
        foreach (var segment in segments)
        {
            current = Path.Combine(current, segment);
            var info = new FileInfo(current);
            if (info.Exists || Directory.Exists(current))
            {
                if (info.LinkTarget is not null || new DirectoryInfo(current).LinkTarget is not null)
                    throw Refused(targetPath, $"{current} is a symbolic link");
            }
            else
            {
                break;
            }
        }

        return full;
    }

    private static RepositoryException Refused(string targetPath, string why) =>
        new($"Refusing to write target \"{targetPath}\" under the output folder: {why}.");
}
