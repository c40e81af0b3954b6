using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Keys.Model;
using Xunit;

namespace Enigm.Keys.Tests.KeyRing;

/// <summary><c>KeyRing.Generate(purpose, algorithm)</c>: chosen signature algorithms for the TUF key purposes.</summary>
public sealed class AlgorithmChoiceTests : IDisposable
{
    private readonly TestStore _store = new();

    private Enigm.Keys.KeyRing Ring => _store.Ring;

    public void Dispose() => _store.Dispose();

    public static TheoryData<KeyPurpose, string> Allowed() => new()
    {
        { KeyPurpose.Root, "Ed25519" },
        { KeyPurpose.Root, "ML-DSA-87" },
        { KeyPurpose.Root, "SLH-DSA-SHA2-256s" },
        { KeyPurpose.Root, "id-MLDSA87-ECDSA-P384-SHA512" },
        { KeyPurpose.ReleaseSigning, "Ed25519" },
        { KeyPurpose.ManifestSigning, "ML-DSA-87" },
    };

    private static SignatureAlgorithm Named(string name) => SignatureAlgorithm.All.Single(a => a.Name == name);

    [Theory]
    [MemberData(nameof(Allowed))]
    public void A_chosen_algorithm_is_recorded_signs_verifies_and_survives_reopening(KeyPurpose purpose, string algorithm)
    {
        var key = Ring.Generate(purpose, Named(algorithm));
        Assert.Equal(algorithm, key.Algorithm);
        Assert.Equal(Named(algorithm).PublicKeySize, key.PublicKey.Length);
        var signature = Ring.Sign(key.Id, "release"u8);

        var reopened = _store.Reopen();
        Assert.Equal(algorithm, reopened.Get(key.Id).Algorithm);
        Assert.True(reopened.Verify(key.Id, "release"u8, signature));
        Assert.False(reopened.Verify(key.Id, "releasE"u8, signature));
        // Anyone can check it with the plain algorithm and the stored public key.
        Assert.True(CryptoProviders().Signature(Named(algorithm)).Verify(key.PublicKey, "release"u8, signature));
    }

    [Fact]
    public void The_generation_audit_entry_names_the_chosen_algorithm()
    {
        var key = Ring.Generate(KeyPurpose.Root, SignatureAlgorithm.Ed25519);
        var entry = Ring.AuditEntries().Single(e => e.Event == "generated" && e.KeyId == key.Id);
        Assert.Contains("algorithm=Ed25519", entry.Detail, StringComparison.Ordinal);
        Assert.True(Ring.VerifyAudit().Ok);
    }

    [Theory]
    [InlineData("Ed25519")]
    [InlineData("ML-DSA-87")]
    public void Rotation_and_replacement_keep_the_chosen_algorithm(string algorithm)
    {
        var v1 = Ring.Generate(KeyPurpose.ReleaseSigning, Named(algorithm));
        var v2 = Ring.Rotate(v1.Id);
        var v3 = _store.Reopen().Replace(v2.Id, "suspected exposure");

        Assert.All(new[] { v2, v3, Ring.Get(v3.Id) }, k => Assert.Equal(algorithm, k.Algorithm));
        Assert.Equal(Named(algorithm).PublicKeySize, v3.PublicKey.Length);
        Assert.True(Ring.Verify(v3.Id, "m"u8, Ring.Sign(v3.Id, "m"u8)));
        var activated = Ring.AuditEntries().Last(e => e.Event == "activated" && e.KeyId == v3.Id);
        Assert.Contains($"algorithm={algorithm}", activated.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KeyPurpose.ReleaseSigning, "ML-DSA-65")]
    [InlineData(KeyPurpose.Root, "SLH-DSA-SHA2-128s")]
    [InlineData(KeyPurpose.Root, "id-MLDSA65-Ed25519-SHA512")]
    [InlineData(KeyPurpose.DeviceSigning, "Ed25519")]
    [InlineData(KeyPurpose.Storage, "ML-DSA-87")]
    [InlineData(KeyPurpose.KemPrekey, "Ed25519")]
    [InlineData(KeyPurpose.SignedPrekey, "Ed25519")]
    public void An_algorithm_not_allowed_for_the_purpose_is_refused_and_nothing_is_stored(KeyPurpose purpose, string algorithm)
    {
        var before = Ring.List().Count;
        var error = Assert.Throws<AlgorithmUnavailableException>(() => Ring.Generate(purpose, Named(algorithm)));
        Assert.Contains(purpose.ToName(), error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Ring.List().Count);
    }

    [Fact]
    public void The_suites_own_algorithm_is_always_a_choice()
    {
        foreach (var purpose in new[] { KeyPurpose.Root, KeyPurpose.ReleaseSigning, KeyPurpose.DeviceSigning })
        {
            var own = (SignatureAlgorithm)PurposeAlgorithms.For(purpose, SuitePolicy.Default.Preferred);
            Assert.Equal(own, PurposeAlgorithms.Choices(purpose, SuitePolicy.Default.Preferred)[0]);
        }

        Assert.Empty(PurposeAlgorithms.Choices(KeyPurpose.OneTimePrekey, SuitePolicy.Default.Preferred));
        Assert.Equal("id-MLDSA65-Ed25519-SHA512", Ring.Generate(KeyPurpose.DeviceSigning, SignatureAlgorithm.MlDsa65Ed25519).Algorithm);
    }

    [Fact]
    public void An_algorithm_the_suite_policy_refuses_cannot_be_chosen()
    {
        // Refusing Ed25519 refuses Ed25519 keys, not the suites whose composites contain it (AlgorithmRefusalTests).
        var refusing = _store.Options with { SuitePolicy = SuitePolicy.Default.RefuseAlgorithm(SignatureAlgorithm.Ed25519) };
        using var ring = Enigm.Keys.KeyRing.Open(_store.Path, _ => TestStore.Protector(_store.Passphrase), refusing);
        Assert.Throws<SuiteRefusedException>(() => ring.Generate(KeyPurpose.Root, SignatureAlgorithm.Ed25519));
        Assert.Throws<SuiteRefusedException>(() => PurposeAlgorithms.RequireChoice(KeyPurpose.Root, SignatureAlgorithm.MlDsa87, refusing.SuitePolicy.RefuseAlgorithm(SignatureAlgorithm.MlDsa87)));
    }

    private static Enigm.Crypto.Providers.CryptoProviders CryptoProviders() => Enigm.Crypto.Providers.CryptoProviders.Default;
}
