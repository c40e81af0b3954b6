using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Secrets;
using Enigm.Keys;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;
using Enigm.Ota.Client;
using Enigm.Ota.Eligibility;
using Enigm.Ota.Repository;

namespace Enigm.Cli.Demo;

/// <summary>
/// The organisation's client release repository in the trust-center chapter: a post-quantum TUF repository (root,
/// targets, snapshot and timestamp keys, id-MLDSA87-ECDSA-P384-SHA512, in the release service's own
/// passphrase-protected Enigm.Keys store), published into the folder the relay serves under <c>/ota</c> (as
/// <c>enigm release init|add|sign|publish</c> and <c>enigm server run --ota</c>). One key per role keeps the chapter
/// fast; the ota chapter shows the 2-of-3 root.
/// </summary>
internal sealed class TrustCenterRelease : IDisposable
{
    private readonly KeyRing _ring;
    private readonly ITufSigner _targets;
    private readonly ITufSigner[] _online;

    private TrustCenterRelease(KeyRing ring, TufRepository repository, ITufSigner targets, ITufSigner[] online, byte[] bootstrapRoot)
    {
        _ring = ring;
        Repository = repository;
        _targets = targets;
        _online = online;
        BootstrapRoot = bootstrapRoot;
    }

    public TufRepository Repository { get; }

    /// <summary>Root v1 as shipped with every client (TUF 5.2: the updater's first trusted root).</summary>
    public byte[] BootstrapRoot { get; }

    public string KeyAlgorithm { get; private init; } = "";

    public static TrustCenterRelease Create(ChapterContext context, string keysFolder, string repositoryFolder)
    {
        var passphrase = System.Text.Encoding.UTF8.GetBytes(System.Security.Cryptography.RandomNumberGenerator.GetHexString(32));
        var protector = new PassphraseProtector(() => SecretBytes.CopyFrom(passphrase), Argon2idSettings.Interactive, context.Cancellation);
        var ring = KeyRing.Create(Path.Combine(keysFolder, "keys.db"), protector, new KeyRingOptions { Providers = context.Providers, SuitePolicy = context.Policy });
        try
        {
            // The release composite id-MLDSA87-ECDSA-P384-SHA512 for every role, root included (one of the root's documented
            // choices, PurposeAlgorithms.Choices): SLH-DSA-SHA2-256s roots take seconds to sign; the ota chapter shows them.
            ITufSigner Signer(KeyPurpose purpose) =>
                new KeyRingTufSigner(ring, ring.Generate(purpose, SignatureAlgorithm.MlDsa87EcdsaP384, reason: "organisation client releases"));
            var (root, targets, snapshot, timestamp) = (Signer(KeyPurpose.Root), Signer(KeyPurpose.ReleaseSigning), Signer(KeyPurpose.ManifestSigning), Signer(KeyPurpose.ManifestSigning));
            var repository = TufRepository.Init(repositoryFolder, new Dictionary<string, RoleKeySpec>
            {
                ["root"] = new([root.Key], 1),
                ["targets"] = new([targets.Key], 1),
                ["snapshot"] = new([snapshot.Key], 1),
                ["timestamp"] = new([timestamp.Key], 1),
            });
            repository.Sign("root", [root]);
            repository.Sign("targets", [targets]);
            ITufSigner[] online = [snapshot, timestamp];
            repository.Publish(online);
            var bootstrap = File.ReadAllBytes(repository.Layout.Versioned("root", 1));
            return new TrustCenterRelease(ring, repository, targets, online, bootstrap) { KeyAlgorithm = $"{root.Key.KeyType}/{root.Key.Scheme}" };
        }
        catch
        {
            ring.Dispose();
            throw;
        }
    }

    /// <summary>Adds the artifacts with their release rules, signs targets with the release key, publishes snapshot and timestamp.</summary>
    public PublishResult Publish(string stagingFolder, IEnumerable<(string Name, byte[] Content, ReleaseRules Rules)> releases)
    {
        Directory.CreateDirectory(stagingFolder);
        foreach (var (name, content, rules) in releases)
        {
            var file = Path.Combine(stagingFolder, Path.GetFileName(name));
            File.WriteAllBytes(file, content);
            Repository.AddTarget(file, name, rules);
        }

        Repository.Sign("targets", [_targets]);
        return Repository.Publish(_online);
    }

    public void Dispose() => _ring.Dispose();
}

/// <summary>
/// A managed device's client updater: its own trusted TUF state (bootstrapped from the shipped root), the relay's
/// <c>/ota</c> over HTTP, and eligibility from the device's profile, whose compliance state comes from the device's own
/// verified evaluation (<c>require_trust</c>, docs/policy.md "OTA").
/// </summary>
internal sealed class TrustCenterUpdater(string stateFolder, Uri repository, byte[] bootstrapRoot, ChapterContext context)
{
    /// <summary>TUF refresh (5.2–5.6) from the relay, then every listed release with this device's eligibility.</summary>
    public IReadOnlyList<ReleaseCandidate> Check(DeviceProfile device)
    {
        var store = new TrustedMetadataStore(stateFolder);
        TrustedRootBootstrap.Ensure(store, bootstrapRoot, context.Policy, context.Providers);
        using var source = RepositorySource.Open(repository.AbsoluteUri);
        var updater = source.CreateUpdater(store, context.Policy);
        updater.Refresh();
        return [.. updater.ListTargets().Select(t => ReleaseSelector.Evaluate(device, t))];
    }

    /// <summary>Downloads <paramref name="release"/> (length, SHA-256 and SHA-512 checked while streaming) into <paramref name="installFolder"/>.</summary>
    public string Install(ReleaseCandidate release, string installFolder)
    {
        EligibilityEvaluator.Require(release.Decision);
        var store = new TrustedMetadataStore(stateFolder);
        using var source = RepositorySource.Open(repository.AbsoluteUri);
        var updater = source.CreateUpdater(store, context.Policy);
        updater.Refresh();
        return updater.Download(updater.RequireTarget(release.Target.Path), installFolder);
    }
}
