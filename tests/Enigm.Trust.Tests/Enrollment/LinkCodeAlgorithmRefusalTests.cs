using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Trust.Enrollment;
using Enigm.Trust.Tests.States;
using Xunit;

namespace Enigm.Trust.Tests.Enrollment;

/// <summary>
/// A link code relies on its suite's hybrid KEM (X-Wing) and the channel's AEAD, KDF and hash: X-Wing
/// counts while ML-KEM-768 or X25519 is accepted; refusing the AEAD of another suite changes nothing.
/// </summary>
public sealed class LinkCodeAlgorithmRefusalTests
{
    private readonly ManualClock _clock = new();

    private static SuitePolicy Refusing(params CryptoAlgorithm[] algorithms) =>
        algorithms.Aggregate(SuitePolicy.Default, (p, a) => p.RefuseAlgorithm(a));

    [Fact]
    public void A_code_parses_with_X25519_or_ML_KEM_768_or_another_suites_AEAD_refused()
    {
        using var session = NewDeviceEnrollment.Start(null, _clock);
        var bytes = session.Code.ToBytes();
        foreach (var refused in new CryptoAlgorithm[] { KeyAgreementAlgorithm.X25519, KemAlgorithm.MlKem768, AeadAlgorithm.ChaCha20Poly1305, SignatureAlgorithm.Ed25519 })
        {
            using var code = LinkCode.Parse(bytes, Refusing(refused));
            Assert.Equal(SuiteRegistry.Suite1, code.Suite);
        }
    }

    [Fact]
    public void A_code_is_refused_with_both_X_Wing_halves_or_X_Wing_or_its_AEAD_refused()
    {
        using var session = NewDeviceEnrollment.Start(null, _clock);
        var bytes = session.Code.ToBytes();

        var both = Assert.Throws<SuiteRefusedException>(() => LinkCode.Parse(bytes, Refusing(KeyAgreementAlgorithm.X25519, KemAlgorithm.MlKem768)));
        Assert.Contains("X-Wing", both.Message, StringComparison.Ordinal);
        Assert.Throws<SuiteRefusedException>(() => LinkCode.Parse(bytes, Refusing(KemAlgorithm.XWing)));
        var aead = Assert.Throws<SuiteRefusedException>(() => LinkCode.Parse(bytes, Refusing(AeadAlgorithm.Aes256Gcm)));
        Assert.Contains("AES-256-GCM", aead.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_device_starts_with_Ed25519_or_X25519_refused_but_not_with_X_Wing_refused()
    {
        using var started = NewDeviceEnrollment.Start(EnrollmentOptions.Default with { SuitePolicy = Refusing(SignatureAlgorithm.Ed25519, KeyAgreementAlgorithm.X25519) }, _clock);
        Assert.Equal(SuiteRegistry.Suite1, started.Code.Suite);
        Assert.Throws<SuiteRefusedException>(() => NewDeviceEnrollment.Start(EnrollmentOptions.Default with { SuitePolicy = Refusing(KemAlgorithm.XWing) }, _clock));
    }
}
