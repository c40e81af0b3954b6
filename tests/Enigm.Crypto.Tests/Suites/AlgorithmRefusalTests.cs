using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Xunit;

namespace Enigm.Crypto.Tests.Suites;

/// <summary>
/// Refusing an algorithm refuses the objects that rely on it, not whole suites: a key or signature of the
/// algorithm alone is refused, a composite or hybrid only when it is refused by name or all its
/// components are (docs/crypto-core.md, "Suite policy").
/// </summary>
public sealed class AlgorithmRefusalTests
{
    private static readonly SuitePolicy NoEd25519 = SuitePolicy.Default.RefuseAlgorithm(SignatureAlgorithm.Ed25519);

    [Fact]
    public void Refusing_Ed25519_keeps_both_suites_and_the_composite_that_contains_it()
    {
        Assert.Equal(SuiteStatus.Preferred, NoEd25519.StatusOf(1));
        Assert.Equal(SuiteStatus.Allowed, NoEd25519.StatusOf(2));
        Assert.Equal(SuiteRegistry.Suite1, NoEd25519.Require(1));
        Assert.Equal(SuiteRegistry.Suite1, NoEd25519.Preferred);
        Assert.False(NoEd25519.Accepts(SignatureAlgorithm.Ed25519));
        Assert.True(NoEd25519.Accepts(SignatureAlgorithm.MlDsa65Ed25519));
        Assert.True(NoEd25519.Accepts(SignatureAlgorithm.MlDsa87EcdsaP384));
        Assert.True(NoEd25519.Accepts(SignatureAlgorithm.MlDsa87));
    }

    [Fact]
    public void Refusing_ML_DSA_87_refuses_it_alone_and_leaves_Ed25519_accepted()
    {
        var noMlDsa87 = SuitePolicy.Default.RefuseAlgorithm(SignatureAlgorithm.MlDsa87);
        Assert.True(noMlDsa87.Accepts(SignatureAlgorithm.Ed25519));
        Assert.False(noMlDsa87.Accepts(SignatureAlgorithm.MlDsa87));
        Assert.True(noMlDsa87.Accepts(SignatureAlgorithm.MlDsa87EcdsaP384));
        Assert.Equal(SuiteRegistry.Suite1, noMlDsa87.Preferred);
    }

    [Fact]
    public void A_composite_is_refused_when_all_its_halves_are_refused_or_when_it_is_refused_by_name()
    {
        var bothHalves = NoEd25519.RefuseAlgorithm(SignatureAlgorithm.MlDsa65);
        Assert.False(bothHalves.Accepts(SignatureAlgorithm.MlDsa65Ed25519));
        Assert.True(bothHalves.Accepts(SignatureAlgorithm.MlDsa87EcdsaP384));

        var byName = SuitePolicy.Default.RefuseAlgorithm(SignatureAlgorithm.MlDsa65Ed25519);
        Assert.False(byName.Accepts(SignatureAlgorithm.MlDsa65Ed25519));
        Assert.True(byName.Accepts(SignatureAlgorithm.Ed25519));
        Assert.True(byName.Accepts(SignatureAlgorithm.MlDsa65));
    }

    [Fact]
    public void X_Wing_counts_while_either_ML_KEM_768_or_X25519_is_accepted()
    {
        var noX25519 = SuitePolicy.Default.RefuseAlgorithm(KeyAgreementAlgorithm.X25519);
        Assert.True(noX25519.Accepts(KemAlgorithm.XWing));
        Assert.Equal(SuiteRegistry.Suite1, noX25519.Require(1));
        Assert.False(noX25519.RefuseAlgorithm(KemAlgorithm.MlKem768).Accepts(KemAlgorithm.XWing));
        Assert.True(SuitePolicy.Default.RefuseAlgorithm(KemAlgorithm.MlKem768).Accepts(KemAlgorithm.XWing));
    }

    [Fact]
    public void Refusing_an_AEAD_leaves_its_suite_to_objects_that_do_not_use_it()
    {
        var noChaCha = SuitePolicy.Default.RefuseAlgorithm(AeadAlgorithm.ChaCha20Poly1305);
        Assert.Equal(SuiteStatus.Allowed, noChaCha.StatusOf(2));
        Assert.False(noChaCha.Accepts(AeadAlgorithm.ChaCha20Poly1305));
        Assert.True(noChaCha.Accepts(AeadAlgorithm.Aes256Gcm));
    }

    [Fact]
    public void Algorithms_of_no_accepted_suite_stay_refused()
    {
        Assert.False(SuitePolicy.Default.Accepts(SignatureAlgorithm.SlhDsaSha2_128s));
        var noSuites = SuitePolicy.Default.With(1, SuiteStatus.Refused).With(2, SuiteStatus.Refused);
        Assert.False(noSuites.Accepts(SignatureAlgorithm.MlDsa87EcdsaP384));
    }

    [Fact]
    public void A_composite_key_object_decodes_with_one_half_refused()
    {
        var key = EncodedKey(SignatureAlgorithm.MlDsa65Ed25519);
        Assert.Equal(SignatureAlgorithm.MlDsa65Ed25519, CryptoObject.DecodePublicKey(key, NoEd25519, CryptoProviders.Default).Algorithm);
        var noMlDsa65 = SuitePolicy.Default.RefuseAlgorithm(SignatureAlgorithm.MlDsa65);
        Assert.Equal(SignatureAlgorithm.MlDsa65Ed25519, CryptoObject.DecodePublicKey(key, noMlDsa65, CryptoProviders.Default).Algorithm);
    }

    [Fact]
    public void A_composite_key_object_is_refused_naming_the_composite_when_both_halves_are_refused()
    {
        var key = EncodedKey(SignatureAlgorithm.MlDsa87EcdsaP384);
        var policy = SuitePolicy.Default.RefuseAlgorithm(SignatureAlgorithm.MlDsa87).RefuseAlgorithm(SignatureAlgorithm.EcdsaP384);

        var e = Assert.Throws<SuiteRefusedException>(() => CryptoObject.Decode(key, ObjectType.PublicKey, policy));
        Assert.Contains("id-MLDSA87-ECDSA-P384-SHA512", e.Message, StringComparison.Ordinal);
        Assert.Contains("ML-DSA-87", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Ed25519", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hybrid_KEM_key_object_is_refused_when_the_hybrid_is_refused_by_name()
    {
        var key = EncodedKey(KemAlgorithm.XWing);
        Assert.Equal(KemAlgorithm.XWing, CryptoObject.Decode(key, ObjectType.PublicKey, SuitePolicy.Default.RefuseAlgorithm(KeyAgreementAlgorithm.X25519)).Algorithm);

        var e = Assert.Throws<SuiteRefusedException>(() => CryptoObject.Decode(key, ObjectType.PublicKey, SuitePolicy.Default.RefuseAlgorithm(KemAlgorithm.XWing)));
        Assert.Contains("X-Wing is refused", e.Message, StringComparison.Ordinal);
    }

    private static byte[] EncodedKey(CryptoAlgorithm algorithm)
    {
        var providers = CryptoProviders.Default;
        using var key = algorithm switch
        {
            SignatureAlgorithm s => providers.Signature(s).GenerateKey(),
            KemAlgorithm k => providers.Kem(k).GenerateKeyPair(),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
        };
        return new CryptoObject(ObjectType.PublicKey, SuiteRegistry.Suite1, algorithm, key.PublicKey).Encode();
    }
}
