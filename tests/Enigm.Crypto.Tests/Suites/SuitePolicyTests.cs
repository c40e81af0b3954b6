using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Xunit;

namespace Enigm.Crypto.Tests.Suites;

public sealed class SuitePolicyTests
{
    [Fact]
    public void Default_policy_prefers_suite_1_and_allows_suite_2()
    {
        Assert.Equal(SuiteRegistry.Suite1, SuitePolicy.Default.Preferred);
        Assert.Equal(SuiteStatus.Preferred, SuitePolicy.Default.StatusOf(1));
        Assert.Equal(SuiteStatus.Allowed, SuitePolicy.Default.StatusOf(2));
    }

    [Fact]
    public void Suite_1_matches_the_design_table()
    {
        var s = SuiteRegistry.Suite1;
        Assert.Equal(KemAlgorithm.MlKem1024, s.SessionKem);
        Assert.Equal(KeyAgreementAlgorithm.X25519, s.SessionKeyAgreement);
        Assert.Equal(KemAlgorithm.XWing, s.HybridKem);
        Assert.Equal(KemAlgorithm.MlKem768, s.RatchetKem);
        Assert.Equal(SignatureAlgorithm.MlDsa65Ed25519, s.DeviceSignature);
        Assert.Equal(SignatureAlgorithm.MlDsa87EcdsaP384, s.ReleaseSignature);
        Assert.Equal(SignatureAlgorithm.SlhDsaSha2_256s, s.RootSignature);
        Assert.Equal(AeadAlgorithm.Aes256Gcm, s.Aead);
        Assert.Equal(KdfAlgorithm.HkdfSha512, s.Kdf);
        Assert.Equal(AeadAlgorithm.ChaCha20Poly1305, SuiteRegistry.Suite2.Aead);
    }

    [Fact]
    public void Unknown_suite_is_a_typed_error()
    {
        var e = Assert.Throws<UnknownSuiteException>(() => SuitePolicy.Default.Require(999));
        Assert.Equal(999, e.SuiteId);
        Assert.Throws<UnknownSuiteException>(() => SuiteRegistry.Get(0));
    }

    [Fact]
    public void Refused_suite_is_a_typed_error()
    {
        var policy = SuitePolicy.Default.With(2, SuiteStatus.Refused);
        Assert.Throws<SuiteRefusedException>(() => policy.Require(2));
        Assert.Equal(SuiteRegistry.Suite1, policy.Require(1));
    }

    [Fact]
    public void Deprecated_suite_is_still_accepted()
    {
        var policy = SuitePolicy.Default.With(2, SuiteStatus.Deprecated);
        Assert.Equal(SuiteRegistry.Suite2, policy.Require(2));
        Assert.Equal(SuiteStatus.Deprecated, policy.StatusOf(2));
    }

    [Fact]
    public void Preferring_a_suite_demotes_the_previous_preference()
    {
        var policy = SuitePolicy.Default.With(2, SuiteStatus.Preferred);
        Assert.Equal(SuiteRegistry.Suite2, policy.Preferred);
        Assert.Equal(SuiteStatus.Allowed, policy.StatusOf(1));
    }

    [Fact]
    public void Suite_uses_components_of_its_hybrids_but_not_unrelated_algorithms()
    {
        Assert.True(SuiteRegistry.Suite1.Uses(SignatureAlgorithm.MlDsa87));
        Assert.True(SuiteRegistry.Suite1.Uses(KemAlgorithm.MlKem768));
        Assert.False(SuiteRegistry.Suite1.Uses(SignatureAlgorithm.SlhDsaSha2_128s));
        Assert.False(SuiteRegistry.Suite1.Uses(AeadAlgorithm.ChaCha20Poly1305));
    }

    [Fact]
    public void Algorithms_are_values_found_by_kind_and_name()
    {
        Assert.Same(KemAlgorithm.XWing, CryptoAlgorithm.Find(AlgorithmKind.Kem, "X-Wing"));
        Assert.Null(CryptoAlgorithm.Find(AlgorithmKind.Signature, "X-Wing"));
        Assert.Null(CryptoAlgorithm.Find(AlgorithmKind.Kem, "x-wing"));
        Assert.Equal(CryptoAlgorithm.All.Count, CryptoAlgorithm.All.Distinct().Count());
    }
}
