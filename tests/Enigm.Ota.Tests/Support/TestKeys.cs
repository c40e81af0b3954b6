using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Ota.Metadata;

namespace Enigm.Ota.Tests.Support;

/// <summary>Fresh signing keys and minimal valid metadata for the tests.</summary>
internal static class TestKeys
{
    public static readonly DateTimeOffset FarFuture = new(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static (PrivateKey Key, TufSigner Signer) New(SignatureAlgorithm algorithm)
    {
        var key = CryptoProviders.Default.Signature(algorithm).GenerateKey();
        return (key, new TufSigner(key));
    }

    /// <summary>A root where every top-level role uses <paramref name="signers"/> with <paramref name="threshold"/>.</summary>
    public static RootMetadata Root(IReadOnlyList<TufSigner> signers, int threshold, long version = 1, DateTimeOffset? expires = null)
    {
        var keys = signers.ToDictionary(s => s.KeyId, s => s.Key);
        var roleKeys = new RoleKeys([.. signers.Select(s => s.KeyId)], threshold);
        return new RootMetadata
        {
            Version = version,
            Expires = expires ?? FarFuture,
            ConsistentSnapshot = true,
            Keys = keys,
            Roles = RootMetadata.TopLevelRoles.ToDictionary(r => r, _ => roleKeys),
        };
    }

    public static TimestampMetadata Timestamp(long version = 1, long snapshotVersion = 1) => new()
    {
        Version = version,
        Expires = FarFuture,
        Meta = new Dictionary<string, MetaFile>
        {
            ["snapshot.json"] = new(snapshotVersion, 123, new Dictionary<string, string> { ["sha256"] = new string('a', 64) }),
        },
    };
}
