using Enigm.Cli.Output;
using Enigm.Crypto.Suites;
using Enigm.Ota.Client;
using Enigm.Ota.Eligibility;
using Enigm.Ota.Errors;

namespace Enigm.Cli.Commands.Update;

/// <summary>
/// What both <c>enigm update</c> subcommands share: the device profile, the state folder with the
/// trusted metadata (bootstrapped from <c>--root</c> on first use), the fetcher for <c>--repo</c>
/// and a refreshed <see cref="Updater"/>.
/// </summary>
internal sealed class UpdateSession : IDisposable
{
    private readonly RepositorySource _source;

    private UpdateSession(DeviceProfile device, TrustedMetadataStore store, RepositorySource source, SuitePolicy policy)
    {
        Device = device;
        Store = store;
        _source = source;
        Updater = source.CreateUpdater(store, policy);
    }

    public DeviceProfile Device { get; }

    public TrustedMetadataStore Store { get; }

    public Updater Updater { get; }

    public string Repository => _source.Location;

    /// <summary>Opens the session and runs the TUF refresh (5.2–5.6), every HTTP transfer under <paramref name="limits"/>.</summary>
    public static UpdateSession Open(string repo, string deviceFile, string? stateDir, string? rootFile, SuitePolicy? policy = null, TransferLimits? limits = null)
    {
        var device = DeviceProfile.Parse(ReadLocal(deviceFile, DeviceProfile.MaxBytes, "device file"));
        var store = new TrustedMetadataStore(stateDir ?? DefaultState(deviceFile));
        if (File.Exists(store.Directory)) throw new RepositoryException($"State folder {store.Directory} is a file.");
        // TUF 5.2: the first trusted root comes from --root; once stored, the stored (newer) chain wins.
        if (!store.HasRoot && rootFile is null)
            throw new UsageException($"no trusted root in {store.Directory}: pass --root FILE (the repository's initial root.json) once");
        TrustedRootBootstrap.Ensure(store, rootFile is null ? null : () => ReadLocal(rootFile, TrustedMetadataSet.MaxRootBytes, "root file"), policy);

        var session = new UpdateSession(device, store, RepositorySource.Open(repo, limits), policy ?? SuitePolicy.Default);
        try
        {
            session.Updater.Refresh();
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Default state folder: <c>.enigm-update</c> beside the device file.</summary>
    public static string DefaultState(string deviceFile) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(deviceFile)) ?? ".", ".enigm-update");

    /// <summary>Every target the trusted metadata lists, with its eligibility for this device.</summary>
    public IReadOnlyList<ReleaseCandidate> Releases() =>
        [.. Updater.ListTargets().Select(t => ReleaseSelector.Evaluate(Device, t))];

    public void Dispose() => _source.Dispose();

    private static byte[] ReadLocal(string path, int maxBytes, string what)
    {
        if (!File.Exists(path)) throw new UsageException($"{what} {path} does not exist");
        var info = new FileInfo(path);
        if (info.Length > maxBytes) throw new Enigm.Crypto.Errors.MalformedInputException($"The {what} is larger than {maxBytes} bytes.");
        try
        {
            // Bounded on the bytes read, not the reported size (/dev/zero reports 0 and never ends).
            return InputFile.Read(path, maxBytes, p => new Enigm.Crypto.Errors.MalformedInputException($"The {what} is larger than {maxBytes} bytes."));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepositoryException($"Cannot read {what} {path}: {e.Message}", e);
        }
    }
}
