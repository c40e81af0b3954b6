using Enigm.Ota.Errors;

namespace Enigm.Cli.Commands.Release;

/// <summary>
/// Writes <c>release keygen --out FILE</c>: missing folders are created, an existing file or folder
/// is refused (a public key file handed to another holder is never overwritten silently), and a
/// failure is a one-line <see cref="RepositoryException"/> rather than an internal error.
/// </summary>
internal static class PublicKeyOutput
{
    public static void CheckWritable(string path)
    {
        if (File.Exists(path) || Directory.Exists(path))
            throw new RepositoryException($"{path} already exists; not replacing it (choose a new --out file).");
    }

    public static void Write(string path, byte[] json, string keyId)
    {
        CheckWritable(path);
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder) Directory.CreateDirectory(folder);
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            file.Write(json);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepositoryException($"Key {keyId} was generated, but its public key could not be written to {path}: {e.Message}", e);
        }
    }
}
