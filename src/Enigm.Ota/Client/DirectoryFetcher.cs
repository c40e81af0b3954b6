using Enigm.Ota.Errors;

namespace Enigm.Ota.Client;

/// <summary>Reads a repository from a local folder (a mounted medium, a test fixture).</summary>
public sealed class DirectoryFetcher : IRepositoryFetcher
{
    private readonly string _root;

    public DirectoryFetcher(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        _root = Path.GetFullPath(root);
        if (!Directory.Exists(_root)) throw new RepositoryException($"Repository folder {_root} does not exist.");
    }

    public string Location => _root;

    public Stream? Open(string path, long maxLength)
    {
        var full = Path.Combine([_root, .. RepositoryPaths.Segments(path)]);
        try
        {
            if (!File.Exists(full)) return null;
            var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            return new LengthLimitedStream(file, path, maxLength);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepositoryException($"Cannot read {path} from {_root}: {e.Message}", e);
        }
    }
}
