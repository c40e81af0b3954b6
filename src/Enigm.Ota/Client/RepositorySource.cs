using Enigm.Crypto.Suites;
using Enigm.Ota.Errors;

namespace Enigm.Ota.Client;

/// <summary>
/// Where an updater reads a repository: TUF clients take a metadata base and a targets base. A
/// repository made by <c>enigm release</c> (and served by <c>enigm release serve</c> or any static
/// host) keeps them in <c>metadata/</c> and <c>targets/</c> under one root; a local folder without
/// a <c>metadata/</c> subfolder is read as a flat mirror (both bases the folder itself).
/// </summary>
public sealed class RepositorySource : IDisposable
{
    private RepositorySource(string location, IRepositoryFetcher metadata, IRepositoryFetcher targets)
    {
        Location = location;
        Metadata = metadata;
        Targets = targets;
    }

    public string Location { get; }

    public IRepositoryFetcher Metadata { get; }

    public IRepositoryFetcher Targets { get; }

    /// <summary>
    /// An http(s) URL of the repository root, or a local folder. <paramref name="limits"/> bounds every
    /// HTTP transfer (slow retrieval); a folder is read without time limits. A malformed URL, another
    /// URL scheme, a missing folder or a file are <see cref="RepositoryException"/>s.
    /// </summary>
    public static RepositorySource Open(string repository, TransferLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        if (System.Text.RegularExpressions.Regex.IsMatch(repository, "^[A-Za-z][A-Za-z0-9+.-]*://"))
        {
            if (!repository.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !repository.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                throw new RepositoryException($"Repository {repository}: only http:// and https:// URLs or a local folder are supported.");
            if (!Uri.TryCreate(repository.EndsWith('/') ? repository : repository + "/", UriKind.Absolute, out var root) || string.IsNullOrEmpty(root.Host))
                throw new RepositoryException($"Repository {repository} is not a valid URL.");
            return new RepositorySource(root.AbsoluteUri, new HttpFetcher(new Uri(root, "metadata/"), limits), new HttpFetcher(new Uri(root, "targets/"), limits));
        }

        if (File.Exists(repository)) throw new RepositoryException($"Repository {repository} is a file, not a folder or an http(s) URL.");
        var metadata = Path.Combine(repository, "metadata");
        return Directory.Exists(metadata)
            ? new RepositorySource(repository, new DirectoryFetcher(metadata), new DirectoryFetcher(Path.Combine(repository, "targets")))
            : new RepositorySource(repository, new DirectoryFetcher(repository), new DirectoryFetcher(repository));
    }

    /// <summary>A new updater over this source and <paramref name="store"/>, under <paramref name="policy"/> (default: the default suite policy).</summary>
    public Updater CreateUpdater(TrustedMetadataStore store, SuitePolicy? policy = null) =>
        new(Metadata, Targets, store) { Policy = policy ?? SuitePolicy.Default };

    public void Dispose()
    {
        (Metadata as IDisposable)?.Dispose();
        if (!ReferenceEquals(Metadata, Targets)) (Targets as IDisposable)?.Dispose();
    }
}
