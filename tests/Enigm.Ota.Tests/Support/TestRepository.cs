using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Ota.Metadata;

namespace Enigm.Ota.Tests.Support;

/// <summary>Builds signed metadata bytes for client workflow tests; one Ed25519 key per role by default.</summary>
internal sealed class TestRepository : IDisposable
{
    public static readonly DateTimeOffset Now = new(2030, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly List<IDisposable> _keys = [];

    public TestRepository()
    {
        RootSigners = [NewSigner(), NewSigner(), NewSigner()];
        TimestampSigner = NewSigner();
        SnapshotSigner = NewSigner();
        TargetsSigner = NewSigner();
    }

    public TufSigner[] RootSigners { get; set; }

    public int RootThreshold { get; set; } = 2;

    public TufSigner TimestampSigner { get; set; }

    public TufSigner SnapshotSigner { get; set; }

    public TufSigner TargetsSigner { get; set; }

    public TufSigner NewSigner(SignatureAlgorithm? algorithm = null)
    {
        var (key, signer) = TestKeys.New(algorithm ?? SignatureAlgorithm.Ed25519);
        _keys.Add(key);
        return signer;
    }

    public void Dispose()
    {
        foreach (var key in _keys) key.Dispose();
    }

    public static byte[] Sign<T>(T role, params TufSigner[] signers)
        where T : RoleMetadata, IRoleMetadata<T> =>
        signers.Aggregate(Metadata<T>.Create(role), (m, s) => m.Sign(s)).ToBytes();

    /// <summary>A root of the current keys; the caller signs it.</summary>
    public RootMetadata Root(long version, DateTimeOffset? expires = null)
    {
        var keys = RootSigners.Concat([TimestampSigner, SnapshotSigner, TargetsSigner]).ToDictionary(s => s.KeyId, s => s.Key);
        return new RootMetadata
        {
            Version = version,
            Expires = expires ?? TestKeys.FarFuture,
            ConsistentSnapshot = true,
            Keys = keys,
            Roles = new Dictionary<string, RoleKeys>
            {
                ["root"] = new([.. RootSigners.Select(s => s.KeyId)], RootThreshold),
                ["timestamp"] = new([TimestampSigner.KeyId], 1),
                ["snapshot"] = new([SnapshotSigner.KeyId], 1),
                ["targets"] = new([TargetsSigner.KeyId], 1),
            },
        };
    }

    public static MetaFile MetaOf(long version, byte[]? bytes) => bytes is null
        ? new MetaFile(version)
        : new MetaFile(version, bytes.Length, new Dictionary<string, string>
        {
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            ["sha512"] = Convert.ToHexStringLower(SHA512.HashData(bytes)),
        });

    public byte[] Timestamp(long version, long snapshotVersion, byte[]? snapshotBytes = null, DateTimeOffset? expires = null) =>
        Sign(new TimestampMetadata
        {
            Version = version,
            Expires = expires ?? TestKeys.FarFuture,
            Meta = new Dictionary<string, MetaFile> { ["snapshot.json"] = MetaOf(snapshotVersion, snapshotBytes) },
        }, TimestampSigner);

    public byte[] Snapshot(long version, IReadOnlyDictionary<string, MetaFile> meta, DateTimeOffset? expires = null) =>
        Sign(new SnapshotMetadata { Version = version, Expires = expires ?? TestKeys.FarFuture, Meta = meta }, SnapshotSigner);

    public static TargetsMetadata Targets(long version, DateTimeOffset? expires = null, Delegations? delegations = null) => new()
    {
        Version = version,
        Expires = expires ?? TestKeys.FarFuture,
        Targets = new Dictionary<string, TargetFile>
        {
            ["app.bin"] = new(3, new Dictionary<string, string> { ["sha256"] = Convert.ToHexStringLower(SHA256.HashData("app"u8)) }),
        },
        Delegations = delegations,
    };
}
