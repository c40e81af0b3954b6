using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Xunit;

namespace Enigm.Crypto.Tests.Kem;

/// <summary>
/// The automatic selection follows the measurements in docs/benchmarks.md ("Provider selection by
/// measurement"); a rank change that contradicts them must change this test and that table together.
/// </summary>
public sealed class ProviderSelectionTests
{
    [Fact]
    public void X25519_comes_from_libsodium_called_directly()
    {
        var x25519 = CryptoProviders.Default.KeyAgreement(KeyAgreementAlgorithm.X25519);

        Assert.Equal(ProviderNames.Libsodium, x25519.Provider);
        Assert.Equal("SodiumX25519", x25519.GetType().Name);
    }

    [Fact]
    public void Aes_gcm_comes_from_libsodium_where_the_cpu_supports_it_because_small_messages_dominate()
    {
        var expected = CryptoProviders.Default.Available(AeadAlgorithm.Aes256Gcm).Any(c => c.Provider == ProviderNames.Libsodium)
            ? ProviderNames.Libsodium
            : ProviderNames.Bcl;

        Assert.Equal(expected, CryptoProviders.Default.SelectedProvider(AeadAlgorithm.Aes256Gcm));
    }

    [Fact]
    public void X_wing_is_composed_because_cached_decapsulation_outweighs_the_rest()
    {
        Assert.Equal(ProviderNames.Composed, CryptoProviders.Default.SelectedProvider(KemAlgorithm.XWing));
    }

    [Fact]
    public void Hmac_sha256_comes_from_libsodium_because_the_ratchet_hmacs_short_inputs()
    {
        var hmac = CryptoProviders.Default.Mac(MacAlgorithm.HmacSha256);

        Assert.Equal(ProviderNames.Libsodium, hmac.Provider);
        Assert.Equal("SodiumHmac", hmac.GetType().Name);
    }

    [Fact]
    public void Hkdf_sha256_comes_from_libsodium_and_hkdf_sha512_from_the_bcl()
    {
        Assert.Equal(ProviderNames.Libsodium, CryptoProviders.Default.SelectedProvider(KdfAlgorithm.HkdfSha256));
        Assert.Equal(ProviderNames.Bcl, CryptoProviders.Default.SelectedProvider(KdfAlgorithm.HkdfSha512));
    }
}
