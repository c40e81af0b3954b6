namespace Enigm.Ota.Client;

/// <summary>
/// Reads files of a TUF repository (metadata and targets) by their path relative to the repository
/// root. Nothing it returns is trusted: the <see cref="Updater"/> checks every byte.
/// </summary>
public interface IRepositoryFetcher
{
    /// <summary>Where the repository is (a folder or a base URL), for messages.</summary>
    string Location { get; }

    /// <summary>
    /// Opens <paramref name="path"/> for reading, or returns null when the repository has no such
    /// file. The stream throws <see cref="Errors.LengthExceededException"/> as soon as more than
    /// <paramref name="maxLength"/> bytes arrive (endless data), and
    /// <see cref="Errors.RepositoryException"/> when the repository cannot be read.
    /// </summary>
    Stream? Open(string path, long maxLength);
}
