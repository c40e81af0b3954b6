using Enigm.Ota.Errors;
using Enigm.Ota.Metadata;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Threats;

/// <summary>
/// Fast-forward attack: with a compromised timestamp key an attacker makes the device trust a huge
/// timestamp version, so every later legitimate one looks like a rollback; rotating the timestamp
/// key in a new root recovers the device (TUF 5.3.11).
/// </summary>
public sealed class FastForwardTests : ThreatTestBase
{
    [Fact]
    public void Fast_forwarded_timestamp_blocks_updates_until_root_rotates_the_timestamp_key()
    {
        Repo.Publish();
        var snapshot = File.ReadAllBytes(Repo.PathOf("1.snapshot.json"));
        // The attacker, holding the timestamp key, publishes version 1000.
        Repo.Write("timestamp.json", Repo.Keys.Timestamp(1000, 1, snapshot));
        Repo.Updater().Refresh();

        Repo.Publish(); // legitimate timestamp version 2
        var stuck = Assert.Throws<RollbackAttackException>(() => Repo.Updater().Refresh());
        Assert.Equal(1000, stuck.TrustedVersion);

        // Recovery: root version 2 replaces the compromised timestamp key.
        Repo.Keys.TimestampSigner = Repo.Keys.NewSigner();
        Repo.WriteRoot(Repo.Keys.Root(2), Repo.Keys.RootSigners[0], Repo.Keys.RootSigners[1]);
        Repo.Publish();
        var trusted = Repo.Updater().Refresh();
        Assert.Equal(3, trusted.Timestamp!.Signed.Version);
        Assert.Equal(2, trusted.Root.Signed.Version);
    }
}

/// <summary>
/// Key compromise below the threshold: an attacker holding fewer root keys than the threshold
/// cannot get a new root trusted.
/// </summary>
public sealed class KeyCompromiseBelowThresholdTests : ThreatTestBase
{
    [Fact]
    public void Rejects_a_root_signed_by_one_compromised_key_of_a_two_key_threshold()
    {
        Repo.Publish();
        var attacker = Repo.Keys.NewSigner();
        var compromised = Repo.Keys.RootSigners[0];
        Repo.Keys.RootSigners = [compromised, attacker];
        Repo.Keys.RootThreshold = 1;
        Repo.Keys.TimestampSigner = Repo.Keys.NewSigner();
        // Signed by the new root's own keys, but only one key of the trusted root.
        Repo.WriteRoot(Repo.Keys.Root(2), compromised, attacker);

        var e = Assert.Throws<ThresholdNotMetException>(() => Repo.Updater().Refresh());
        Assert.Equal("root", e.Role);
        Assert.Equal(1, e.ValidSignatures);
        Assert.Equal(2, e.Threshold);
    }
}

/// <summary>Revoked key: a key removed from a role by a new root no longer signs for it.</summary>
public sealed class RevokedKeyTests : ThreatTestBase
{
    [Fact]
    public void Rejects_a_timestamp_signed_by_a_revoked_key()
    {
        Repo.Publish();
        Repo.Updater().Refresh();
        var revoked = Repo.Keys.TimestampSigner;
        Repo.Keys.TimestampSigner = Repo.Keys.NewSigner();
        Repo.WriteRoot(Repo.Keys.Root(2), Repo.Keys.RootSigners[0], Repo.Keys.RootSigners[1]);

        // The holder of the revoked key publishes a timestamp with it.
        Repo.Keys.TimestampSigner = revoked;
        Repo.Publish();
        var e = Assert.Throws<ThresholdNotMetException>(() => Repo.Updater().Refresh());
        Assert.Equal("timestamp", e.Role);
    }
}

/// <summary>A post-quantum repository: composite ML-DSA-87 + ECDSA P-384 keys for every role.</summary>
public sealed class PostQuantumRepositoryTests : ThreatTestBase
{
    private readonly List<IDisposable> _keys = [];

    private TufSigner Pq()
    {
        var (key, signer) = TestKeys.New(Enigm.Crypto.Algorithms.SignatureAlgorithm.MlDsa87EcdsaP384);
        _keys.Add(key);
        return signer;
    }

    [Fact]
    public void Rejects_a_composite_signature_whose_ml_dsa_part_alone_is_corrupted()
    {
        try
        {
            Repo.Keys.RootSigners = [Pq()];
            Repo.Keys.RootThreshold = 1;
            Repo.Keys.TimestampSigner = Pq();
            Repo.Keys.SnapshotSigner = Pq();
            Repo.Keys.TargetsSigner = Pq();
            Repo.WriteRoot(Repo.Keys.Root(1), Repo.Keys.RootSigners[0]);
            Repo.Publish();
            Repo.Updater().Refresh(); // the intact PQ repository verifies

            Repo.Publish();
            var timestamp = Metadata<TimestampMetadata>.FromBytes(File.ReadAllBytes(Repo.PathOf("timestamp.json")));
            var signature = timestamp.Signatures.Single();
            // The composite signature is ML-DSA-87 (4627 bytes) ‖ ECDSA P-384: flip one bit in the first part.
            var raw = Convert.FromHexString(signature.Sig);
            raw[100] ^= 0x01;
            var corrupted = timestamp.WithSignatures([signature with { Sig = Convert.ToHexStringLower(raw) }]);
            Repo.Write("timestamp.json", corrupted.ToBytes());

            var e = Assert.Throws<ThresholdNotMetException>(() => Repo.Updater().Refresh());
            Assert.Equal("timestamp", e.Role);
        }
        finally
        {
            foreach (var key in _keys) key.Dispose();
        }
    }
}
