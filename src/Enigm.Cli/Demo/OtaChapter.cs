using System.Diagnostics;
using System.Security.Cryptography;
using Enigm.Crypto.Secrets;
using Enigm.Keys;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;
using Enigm.Ota.Client;
using Enigm.Ota.Eligibility;
using Enigm.Ota.Errors;
using Enigm.Ota.Metadata;
using Enigm.Ota.Repository;

namespace Enigm.Cli.Demo;

/// <summary>
/// Chapter 3: OTA security on the TUF model. A 2-of-3 post-quantum release repository whose keys
/// live in separate key stores, a release published to a staged rollout, two devices of which one
/// is eligible and downloads a verified artifact; then a tampered artifact, a rolled-back
/// timestamp, a frozen (expired) one and a release signed with a revoked key, each refused with
/// its own error.
/// </summary>
public sealed class OtaChapter : IDemoChapter
{
    private const string TargetName = "firmware/m1-2.1.0.bin";

    public string Name => "ota";

    public string Title => "OTA: signed releases, staged rollout, verified updates (TUF)";

    public void Run(ChapterContext context)
    {
        var folder = Directory.CreateTempSubdirectory("enigm-demo-ota-");
        try
        {
            Story(context, folder.FullName);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void Story(ChapterContext context, string folder)
    {
        context.Step("Give three root key holders, a release engineer and the online publishing service each their own passphrase-protected key store");
        using var holders = new KeyHolders(context, folder);
        var (root1, root2, root3) = (holders.Signer("root-1", KeyPurpose.Root), holders.Signer("root-2", KeyPurpose.Root), holders.Signer("root-3", KeyPurpose.Root));
        var (releaseA, releaseB) = (holders.Signer("release", KeyPurpose.ReleaseSigning), holders.Signer("release", KeyPurpose.ReleaseSigning));
        var (snapshotKey, timestampKey) = (holders.Signer("online", KeyPurpose.ManifestSigning), holders.Signer("online", KeyPurpose.ManifestSigning));
        ITufSigner[] online = [snapshotKey, timestampKey];
        context.Info($"root keys: {root1.Key.KeyType}/{root1.Key.Scheme}; release, snapshot, timestamp keys: {releaseA.Key.KeyType}/{releaseA.Key.Scheme}");

        context.Step("Create the repository: root 2 of 3, targets 1 of 2, snapshot and timestamp online; two root holders sign root v1");
        var repoPath = Path.Combine(folder, "repo");
        var repository = TufRepository.Init(repoPath, new Dictionary<string, RoleKeySpec>
        {
            ["root"] = new([root1.Key, root2.Key, root3.Key], 2),
            ["targets"] = new([releaseA.Key, releaseB.Key], 1),
            ["snapshot"] = new([snapshotKey.Key], 1),
            ["timestamp"] = new([timestampKey.Key], 1),
        });
        var clock = Stopwatch.StartNew();
        repository.Sign("root", [root1]);
        repository.Sign("root", [root2]);
        context.Info($"two SLH-DSA root signatures by two separate holders in {clock.ElapsedMilliseconds} ms");
        repository.Sign("targets", [releaseA]);
        repository.Publish(online);
        var bootstrapRoot = File.ReadAllBytes(repository.Layout.Versioned("root", 1));

        context.Step($"Publish {TargetName} (2.1.0) to the stable channel for model m1, from 2.0.0 on, to a 50% staged rollout");
        var artifact = Path.Combine(folder, "m1-2.1.0.bin");
        var content = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);
        File.WriteAllBytes(artifact, content);
        var rules = new ReleaseRules { Version = "2.1.0", Channel = "stable", Models = ["m1"], MinVersion = "2.0.0", RolloutPercent = 50 };
        var entry = repository.AddTarget(artifact, TargetName, rules);
        repository.Sign("targets", [releaseA]);
        var published = repository.Publish(online);
        context.Info($"published targets v{published.TargetsVersion}, snapshot v{published.SnapshotVersion}, timestamp v{published.TimestampVersion}; {entry.Length:N0} bytes with sha256 and sha512");

        context.Step("Two m1 devices on 2.0.0 ask whether the release is for them (rollout bucket = SHA-256(device id, release) mod 10,000)");
        var (inside, outside) = PickDevices();
        var deviceA = Device(context, folder, inside, bootstrapRoot);
        var deviceB = Device(context, folder, outside, bootstrapRoot);
        var decisionA = Decide(context, deviceA);
        var decisionB = Decide(context, deviceB);
        context.Check($"{inside.Id} (bucket {Bucket(inside)}) is eligible", () => decisionA.Eligible);
        context.Check($"{outside.Id} (bucket {Bucket(outside)}) is not, and is told it is the rollout", () =>
            !decisionB.Eligible && decisionB.Checks.Single(c => !c.Passed).Rule.Contains("rollout", StringComparison.OrdinalIgnoreCase));
        context.Rejects<IneligibleDeviceException>($"{outside.Id} is refused the download", () => EligibilityEvaluator.Require(decisionB));

        context.Step($"{inside.Id} downloads the artifact: streamed into a staging file, length + SHA-256 + SHA-512 in one pass, moved into place after it verifies");
        var target = deviceA.Updater.RequireTarget(TargetName);
        var downloaded = deviceA.Updater.Download(target, Path.Combine(deviceA.Folder, "out"), new Progress<long>(_ => { }));
        context.Check("the installed file is byte-for-byte the released artifact", () => File.ReadAllBytes(downloaded).AsSpan().SequenceEqual(content));

        context.Step("Attack 1: a mirror serves the artifact with one byte changed");
        var stored = repository.Layout.TargetFile(TargetName, entry.Hashes["sha256"]);
        FlipByte(stored, 1_000_000);
        var tamperedOut = Path.Combine(deviceA.Folder, "out-tampered");
        context.Rejects<HashMismatchException>("the tampered artifact is refused (hash mismatch)", () => deviceA.Updater.Download(target, tamperedOut));
        context.Check("nothing was moved into place", () => !Directory.Exists(tamperedOut) || Directory.GetFiles(tamperedOut, "*", SearchOption.AllDirectories).Length == 0);
        FlipByte(stored, 1_000_000);

        context.Step("Attack 2: after the device saw timestamp v3, a mirror serves the older timestamp (and its snapshot) again");
        var oldTimestamp = File.ReadAllBytes(repository.Layout.Current("timestamp"));
        repository.RefreshTimestamp(online);
        deviceA.Refresh();
        var freshTimestamp = File.ReadAllBytes(repository.Layout.Current("timestamp"));
        File.WriteAllBytes(repository.Layout.Current("timestamp"), oldTimestamp);
        context.Rejects<RollbackAttackException>("the rolled-back timestamp is refused, even by a fresh updater process (trusted state persisted)", () => deviceA.Reopen().Refresh());
        File.WriteAllBytes(repository.Layout.Current("timestamp"), freshTimestamp);

        context.Step("Attack 3: a mirror stops updating (freeze); two days later the device checks again");
        context.Rejects<MetadataExpiredException>("the expired timestamp is refused (freeze attack)", () => deviceA.Reopen().Refresh(DateTimeOffset.UtcNow.AddDays(2)));

        context.Step($"The release key {releaseA.Key.KeyId[..12]}… is reported stolen: the root holders publish root v2 without it; the other release key re-signs targets");
        repository.RevokeKey(releaseA.Key.KeyId);
        repository.Sign("root", [root1]);
        repository.Sign("root", [root3]);
        repository.Sign("targets", [releaseB]);
        repository.Publish(online);
        var afterRotation = deviceA.Reopen().Refresh();
        context.Check("the device follows the root chain to v2, which no longer lists the key", () =>
            afterRotation.Root.Signed.Version == 2 && !afterRotation.Root.Signed.Keys.ContainsKey(releaseA.Key.KeyId));

        context.Step("Attack 4: the thief, also holding the online keys, publishes a release signed with the revoked key");
        CompromisedPublish(repository, releaseA, snapshotKey, timestampKey);
        context.Rejects<ThresholdNotMetException>("the release signed with the revoked key is refused", () => deviceA.Reopen().Refresh());
    }

    private static (DeviceProfile Inside, DeviceProfile Outside) PickDevices()
    {
        DeviceProfile? inside = null, outside = null;
        for (var i = 1; inside is null || outside is null; i++)
        {
            var device = new DeviceProfile { Id = $"device-{i:D4}", Model = "m1", Channel = "stable", InstalledVersion = "2.0.0", OsVersion = "13.2", TrustState = "verified" };
            if (RolloutBucket.IsIn(Bucket(device), 50)) inside ??= device;
            else outside ??= device;
        }

        return (inside, outside);
    }

    private static int Bucket(DeviceProfile device) => RolloutBucket.Of(device.Id, TargetName, "2.1.0");

    private static DemoDevice Device(ChapterContext context, string folder, DeviceProfile profile, byte[] bootstrapRoot)
    {
        var device = new DemoDevice(profile, Path.Combine(folder, profile.Id), Path.Combine(folder, "repo"));
        // TUF 5.2: the root shipped with the device is verified against its own threshold, then stored.
        TrustedRootBootstrap.Ensure(new TrustedMetadataStore(device.State), bootstrapRoot, context.Policy, context.Providers);
        device.Refresh();
        context.Info($"{profile.Id}: trusts root v{device.Updater.Trusted.Root.Signed.Version}, timestamp v{device.Updater.Trusted.Timestamp!.Signed.Version}");
        return device;
    }

    private static EligibilityDecision Decide(ChapterContext context, DemoDevice device)
    {
        var target = device.Updater.RequireTarget(TargetName);
        var decision = EligibilityEvaluator.Evaluate(device.Profile, target.Path, ReleaseRules.FromCustom(target.File.Custom));
        context.Info($"{device.Profile.Id}: {(decision.Eligible ? "eligible" : "not eligible")}");
        foreach (var check in decision.Checks) context.Info($"  {(check.Passed ? "ok " : "NO ")} {check.Rule}: {check.Reason}");
        return decision;
    }

    private static void FlipByte(string file, long offset)
    {
        using var stream = File.Open(file, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        var b = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(b ^ 0x01));
    }

    /// <summary>
    /// What a thief holding the revoked release key and the online keys can do without the root
    /// holders: write new targets, snapshot and timestamp files straight into the repository.
    /// </summary>
    private static void CompromisedPublish(TufRepository repository, ITufSigner revokedRelease, ITufSigner snapshotKey, ITufSigner timestampKey)
    {
        var layout = repository.Layout;
        var current = repository.PublishedTargets("targets")!.Signed;
        var targets = new Dictionary<string, TargetFile>(current.Targets, StringComparer.Ordinal)
        {
            ["firmware/m1-9.9.9.bin"] = new(1024, new Dictionary<string, string> { ["sha256"] = new string('a', 64) }),
        };
        var evil = Signed(current with { Version = current.Version + 1, Targets = targets }, revokedRelease);
        File.WriteAllBytes(layout.Versioned("targets", evil.Signed.Version), evil.ToBytes());

        var timestampNow = repository.PublishedTimestamp!.Signed;
        var snapshot = Signed(new SnapshotMetadata
        {
            Version = timestampNow.SnapshotMeta.Version + 1,
            Expires = DateTimeOffset.UtcNow.AddDays(7),
            Meta = new Dictionary<string, MetaFile>(StringComparer.Ordinal) { ["targets.json"] = new(evil.Signed.Version) },
        }, snapshotKey);
        var snapshotBytes = snapshot.ToBytes();
        File.WriteAllBytes(layout.Versioned("snapshot", snapshot.Signed.Version), snapshotBytes);
        var timestamp = Signed(new TimestampMetadata
        {
            Version = timestampNow.Version + 1,
            Expires = DateTimeOffset.UtcNow.AddDays(1),
            Meta = new Dictionary<string, MetaFile>(StringComparer.Ordinal)
            {
                [TimestampMetadata.SnapshotFileName] = new(snapshot.Signed.Version, snapshotBytes.Length,
                    new Dictionary<string, string> { ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(snapshotBytes)) }),
            },
        }, timestampKey);
        File.WriteAllBytes(layout.Current("timestamp"), timestamp.ToBytes());
    }

    private static Metadata<T> Signed<T>(T role, ITufSigner signer)
        where T : RoleMetadata, IRoleMetadata<T>
    {
        var metadata = Metadata<T>.Create(role);
        return metadata.WithSignature(signer.Sign(metadata.SignedBytes));
    }

    /// <summary>One device: its profile, its persisted trusted metadata, an updater over the repository folder.</summary>
    private sealed class DemoDevice(DeviceProfile profile, string folder, string repository)
    {
        public DeviceProfile Profile { get; } = profile;

        public string Folder { get; } = folder;

        public string State => Path.Combine(Folder, "state");

        public Updater Updater { get; private set; } = RepositorySource.Open(repository).CreateUpdater(new TrustedMetadataStore(Path.Combine(folder, "state")));

        public TrustedMetadataSet Refresh(DateTimeOffset? now = null) => Updater.Refresh(now);

        /// <summary>A new updater over the same persisted state, as after a restart.</summary>
        public DemoDevice Reopen()
        {
            Updater = RepositorySource.Open(repository).CreateUpdater(new TrustedMetadataStore(State));
            return this;
        }
    }

    /// <summary>Separate passphrase-protected key stores, one per key holder.</summary>
    private sealed class KeyHolders(ChapterContext context, string folder) : IDisposable
    {
        private readonly Dictionary<string, KeyRing> _rings = new(StringComparer.Ordinal);

        public ITufSigner Signer(string holder, KeyPurpose purpose)
        {
            if (!_rings.TryGetValue(holder, out var ring))
            {
                var passphrase = System.Text.Encoding.UTF8.GetBytes($"demo passphrase of {holder}");
                var protector = new PassphraseProtector(() => SecretBytes.CopyFrom(passphrase), Argon2idSettings.Interactive);
                ring = KeyRing.Create(Path.Combine(folder, "holders", holder, "keys.db"), protector,
                    new KeyRingOptions { Providers = context.Providers, SuitePolicy = context.Policy });
                _rings[holder] = ring;
            }

            return new KeyRingTufSigner(ring, ring.Generate(purpose, reason: "demo release repository"));
        }

        public void Dispose()
        {
            foreach (var ring in _rings.Values) ring.Dispose();
        }
    }
}
