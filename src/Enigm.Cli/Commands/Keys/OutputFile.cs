using Enigm.Cli.Output;

namespace Enigm.Cli.Commands.Keys;

/// <summary>
/// The <c>--out</c> files of <c>enigm keys</c>: checked before anything is committed (the folder must
/// exist, nothing may be there: Enigm never overwrites a file), then created exclusively. Every
/// problem is a one-line <see cref="UsageException"/> (exit 2).
/// </summary>
internal static class OutputFile
{
    /// <summary>Throws unless <paramref name="path"/> names a new file in an existing folder.</summary>
    public static void Check(string path)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal))
            throw new UsageException("--out needs a file name");
        if (Directory.Exists(path)) throw new UsageException($"--out {path} is a folder; name a new file");
        if (File.Exists(path)) throw new UsageException($"--out {path} already exists; Enigm does not overwrite files");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is null || !Directory.Exists(folder)) throw new UsageException($"--out {path}: the folder {folder} does not exist");
    }

    /// <summary>Creates <paramref name="path"/> (never overwriting) and writes <paramref name="bytes"/>.</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes, string? recovery = null)
    {
        Check(path);
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            stream.Write(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Never leave a partial file behind that looks like a complete export.
            try
            {
                if (File.Exists(path)) File.Delete(path);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
            }

            throw new UsageException($"cannot write --out {path}: {e.Message}{(recovery is null ? "" : $" ({recovery})")}", e);
        }
    }
}
