using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Keys.Model;
using Xunit;

namespace Enigm.Keys.Tests.KeyRing;

/// <summary>
/// Key generation under a suite policy that refuses algorithms: a key of a refused algorithm is never
/// made; a composite is made while one of its halves is accepted (docs/crypto-core.md, "Suite policy").
/// </summary>
public sealed class AlgorithmRefusalTests : IDisposable
{
    private readonly TestStore _store = new();

    public void Dispose() => _store.Dispose();

    private static SuitePolicy Refusing(params CryptoAlgorithm[] algorithms) =>
        algorithms.Aggregate(SuitePolicy.Default, (p, a) => p.RefuseAlgorithm(a));

    private Enigm.Keys.KeyRing Ring(SuitePolicy policy) =>
        Enigm.Keys.KeyRing.Open(_store.Path, _ => TestStore.Protector(_store.Passphrase), _store.Options with { SuitePolicy = policy });

    [Fact]
    public void With_Ed25519_refused_post_quantum_choices_remain_and_Ed25519_is_refused()
    {
        var policy = Refusing(SignatureAlgorithm.Ed25519);
        Assert.Equal(SuiteRegistry.Suite1, PurposeAlgorithms.RequireChoice(KeyPurpose.Root, SignatureAlgorithm.MlDsa87, policy));
        Assert.Equal(SuiteRegistry.Suite1, PurposeAlgorithms.RequireChoice(KeyPurpose.ReleaseSigning, SignatureAlgorithm.MlDsa87EcdsaP384, policy));
        var e = Assert.Throws<SuiteRefusedException>(() => PurposeAlgorithms.RequireChoice(KeyPurpose.Root, SignatureAlgorithm.Ed25519, policy));
        Assert.Contains("Ed25519 is refused", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_composite_is_refused_for_generation_only_with_both_halves_refused()
    {
        Assert.Equal(SuiteRegistry.Suite1, PurposeAlgorithms.RequireChoice(KeyPurpose.ReleaseSigning, SignatureAlgorithm.MlDsa87EcdsaP384, Refusing(SignatureAlgorithm.MlDsa87)));
        var e = Assert.Throws<SuiteRefusedException>(() =>
            PurposeAlgorithms.RequireChoice(KeyPurpose.ReleaseSigning, SignatureAlgorithm.MlDsa87EcdsaP384, Refusing(SignatureAlgorithm.MlDsa87, SignatureAlgorithm.EcdsaP384)));
        Assert.Contains("id-MLDSA87-ECDSA-P384-SHA512", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ring_refusing_Ed25519_generates_device_keys_and_refuses_Ed25519_root_keys()
    {
        using var ring = Ring(Refusing(SignatureAlgorithm.Ed25519));
        Assert.Equal("id-MLDSA65-Ed25519-SHA512", ring.Generate(KeyPurpose.DeviceSigning).Algorithm);
        Assert.Throws<SuiteRefusedException>(() => ring.Generate(KeyPurpose.Root, SignatureAlgorithm.Ed25519));
    }

    [Fact]
    public void The_default_algorithm_of_a_purpose_is_not_generated_when_refused()
    {
        using var ring = Ring(Refusing(SignatureAlgorithm.SlhDsaSha2_256s, SignatureAlgorithm.MlDsa65Ed25519));
        Assert.Throws<SuiteRefusedException>(() => ring.Generate(KeyPurpose.Root));
        Assert.Throws<SuiteRefusedException>(() => ring.Generate(KeyPurpose.DeviceSigning));
        Assert.Throws<SuiteRefusedException>(() => ring.GenerateBatch(KeyPurpose.MessagingIdentity, 2));
        Assert.DoesNotContain(ring.List(), k => k.Purpose is KeyPurpose.Root or KeyPurpose.DeviceSigning or KeyPurpose.MessagingIdentity);
    }

    [Fact]
    public void Prekeys_are_generated_while_either_half_of_the_session_setup_is_accepted()
    {
        using var ring = Ring(Refusing(KeyAgreementAlgorithm.X25519));
        Assert.Equal("X25519", ring.Generate(KeyPurpose.SignedPrekey).Algorithm);
        Assert.Equal(2, ring.GenerateBatch(KeyPurpose.OneTimePrekey, 2).Count);

        using var neither = Ring(Refusing(KeyAgreementAlgorithm.X25519, KemAlgorithm.MlKem1024));
        Assert.Throws<SuiteRefusedException>(() => neither.Generate(KeyPurpose.KemPrekey));
    }
}
