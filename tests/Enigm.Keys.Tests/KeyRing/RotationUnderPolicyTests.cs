using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Keys.Model;
using Xunit;

namespace Enigm.Keys.Tests.KeyRing;

/// <summary>
/// Rotation and replacement consult the suite policy (docs/keys.md, "Rotation under a suite policy"):
/// a successor keeps its series' algorithm, so when the policy refuses that algorithm the rotation is
/// refused with <see cref="SuiteRefusedException"/> and nothing stored changes; it never makes a fresh
/// key of a refused algorithm, and never switches the series to another algorithm behind the caller's back.
/// </summary>
public sealed class RotationUnderPolicyTests : IDisposable
{
    private readonly TestStore _store = new();

    public void Dispose() => _store.Dispose();

    private static SuitePolicy Refusing(params CryptoAlgorithm[] algorithms) =>
        algorithms.Aggregate(SuitePolicy.Default, (p, a) => p.RefuseAlgorithm(a));

    private Enigm.Keys.KeyRing Reopen(SuitePolicy policy)
    {
        _store.Ring.Dispose();
        return Enigm.Keys.KeyRing.Open(_store.Path, _ => TestStore.Protector(_store.Passphrase), _store.Options with { SuitePolicy = policy });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rotating_a_key_of_a_refused_algorithm_is_refused_and_changes_nothing(bool replace)
    {
        var root = _store.Ring.Generate(KeyPurpose.Root, SignatureAlgorithm.Ed25519);
        using var ring = Reopen(Refusing(SignatureAlgorithm.Ed25519));
        var keysBefore = ring.List().Select(k => (k.Id, k.State, k.Reason)).ToList();
        var auditBefore = ring.AuditEntries().Count;

        var e = Assert.Throws<SuiteRefusedException>(() => replace ? ring.Replace(root.Id, "suspected exposure") : ring.Rotate(root.Id));

        Assert.Equal(SignatureAlgorithm.Ed25519, e.RefusedAlgorithm);
        Assert.Contains($"Key {root.Id} is not rotated", e.Message, StringComparison.Ordinal);
        Assert.Contains("Ed25519 is refused", e.Message, StringComparison.Ordinal);
        Assert.Equal(keysBefore, ring.List().Select(k => (k.Id, k.State, k.Reason)));
        Assert.Equal(auditBefore, ring.AuditEntries().Count);
        Assert.Equal(KeyState.Active, ring.Get(root.Id).State);
        Assert.True(ring.VerifyAudit().Ok);
    }

    [Fact]
    public void The_way_off_a_refused_algorithm_is_a_new_key_of_an_accepted_one()
    {
        var root = _store.Ring.Generate(KeyPurpose.Root, SignatureAlgorithm.Ed25519);
        using var ring = Reopen(Refusing(SignatureAlgorithm.Ed25519));

        var replacement = ring.Generate(KeyPurpose.Root, SignatureAlgorithm.MlDsa87);
        ring.Suspend(root.Id, "Ed25519 is refused by policy");

        Assert.Equal("ML-DSA-87", replacement.Algorithm);
        Assert.Equal(KeyState.Active, replacement.State);
        Assert.Equal(KeyState.Suspended, ring.Get(root.Id).State);
        Assert.DoesNotContain(ring.List(), k => k.Algorithm == "Ed25519" && k.State == KeyState.Active);
    }

    [Fact]
    public void A_key_of_an_accepted_algorithm_rotates_into_the_same_algorithm_when_another_is_refused()
    {
        var release = _store.Ring.Generate(KeyPurpose.ReleaseSigning, SignatureAlgorithm.MlDsa87EcdsaP384);
        // The composite holds while its ECDSA half is accepted.
        using var ring = Reopen(Refusing(SignatureAlgorithm.Ed25519, SignatureAlgorithm.MlDsa87));

        var next = ring.Rotate(release.Id);

        Assert.Equal(release.Algorithm, next.Algorithm);
        Assert.Equal(release.SuiteId, next.SuiteId);
        Assert.Equal(2, next.Version);
    }

    [Fact]
    public void A_composite_device_key_is_not_rotated_once_both_halves_or_its_name_are_refused()
    {
        var device = _store.Ring.Generate(KeyPurpose.DeviceSigning);
        Assert.Equal("id-MLDSA65-Ed25519-SHA512", device.Algorithm);

        using (var oneHalf = Reopen(Refusing(SignatureAlgorithm.Ed25519)))
            Assert.Equal(device.Algorithm, oneHalf.Rotate(device.Id).Algorithm);

        var current = KeyRecord.VersionId(device.SeriesId, 2);
        using (var bothHalves = Reopen(Refusing(SignatureAlgorithm.Ed25519, SignatureAlgorithm.MlDsa65)))
            Assert.Throws<SuiteRefusedException>(() => bothHalves.Rotate(current));
        using (var byName = Reopen(Refusing(SignatureAlgorithm.MlDsa65Ed25519)))
        {
            Assert.Throws<SuiteRefusedException>(() => byName.Rotate(current));
            Assert.Equal(KeyState.Active, byName.Get(current).State);
        }
    }

    [Fact]
    public void A_prekey_rotates_while_either_half_of_the_session_setup_is_accepted()
    {
        var prekey = _store.Ring.Generate(KeyPurpose.SignedPrekey);
        Assert.Equal("X25519", prekey.Algorithm);

        using (var kemOnly = Reopen(Refusing(KeyAgreementAlgorithm.X25519)))
            Assert.Equal("X25519", kemOnly.Rotate(prekey.Id).Algorithm);

        using var neither = Reopen(Refusing(KeyAgreementAlgorithm.X25519, KemAlgorithm.MlKem1024));
        Assert.Throws<SuiteRefusedException>(() => neither.Rotate(KeyRecord.VersionId(prekey.SeriesId, 2)));
    }

    [Fact]
    public void A_successor_is_checked_against_its_own_suite_not_only_the_preferred_one()
    {
        Assert.Equal(SuiteRegistry.Suite1, PurposeAlgorithms.RequireSuccessor(KeyPurpose.Root, 1, SignatureAlgorithm.MlDsa87, SuitePolicy.Default));
        Assert.Throws<UnknownSuiteException>(() => PurposeAlgorithms.RequireSuccessor(KeyPurpose.Root, 999, SignatureAlgorithm.MlDsa87, SuitePolicy.Default));
        var e = Assert.Throws<SuiteRefusedException>(() => PurposeAlgorithms.RequireSuccessor(KeyPurpose.Root, 1, SignatureAlgorithm.SlhDsaSha2_256s, Refusing(SignatureAlgorithm.SlhDsaSha2_256s)));
        Assert.Equal(SignatureAlgorithm.SlhDsaSha2_256s, e.RefusedAlgorithm);
    }
}
