using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers.BouncyCastle;
using Enigm.Crypto.Providers.Sodium;
using Enigm.Crypto.Secrets;
using Xunit;

namespace Enigm.Crypto.Tests.Kem;

/// <summary>
/// The BouncyCastle ML-KEM provider keeps a seed key's FIPS 203 expanded key dk with the key (computed by the key
/// generation that made it), decapsulates from it, and zeroes it when the key is disposed.
/// </summary>
public sealed class BouncyCastleMlKemExpandedKeyTests
{
    [Fact]
    public void A_derived_key_keeps_the_FIPS_203_expanded_key_and_zeroes_it_on_dispose()
    {
        var seed = RandomNumberGenerator.GetBytes(64);
        var key = new BouncyCastleMlKem(KemAlgorithm.MlKem768).DeriveKeyPair(seed);
        var cached = key.GetOrCreateProviderState<BouncyCastleMlKem.ExpandedKey>(_ => throw new InvalidOperationException("DeriveKeyPair cached no expanded key"));

        // The same dk from another implementation (libsodium) for the same seed.
        using (var sodiumKey = new SodiumMlKem768().DeriveKeyPair(seed))
        using (var sodiumDk = new SodiumMlKem768().ExportExpandedPrivateKey(sodiumKey))
            Assert.Equal(sodiumDk.Span.ToArray(), cached.Dk.Span.ToArray());

        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => cached.Dk.Span.Length);
    }

    [Theory]
    [InlineData("ML-KEM-768")]
    [InlineData("ML-KEM-1024")]
    public void Decapsulation_from_the_cached_expanded_key_matches_the_seed_and_the_imported_dk(string algorithm)
    {
        var kem = new BouncyCastleMlKem(KemProviders.Algorithm(algorithm));
        var seed = RandomNumberGenerator.GetBytes(64);
        using var derived = kem.DeriveKeyPair(seed);
        // A seed key made without DeriveKeyPair has nothing cached: its first decapsulation expands the seed.
        using var bare = new PrivateKey(kem.Algorithm, SecretBytes.CopyFrom(seed), PrivateKeyFormat.Seed, derived.PublicKey);
        using var dk = kem.ExportExpandedPrivateKey(derived);
        using var imported = kem.ImportExpandedPrivateKey(dk.Span);
        using var sent = kem.Encapsulate(derived.PublicKey);
        var tampered = (byte[])sent.Ciphertext.Clone();
        tampered[3] ^= 0x40;

        foreach (var ciphertext in new[] { sent.Ciphertext, tampered })
        {
            using var fromDerived = kem.Decapsulate(derived, ciphertext);
            using var fromBare = kem.Decapsulate(bare, ciphertext);
            using var fromImported = kem.Decapsulate(imported, ciphertext);
            Assert.True(fromDerived.FixedTimeEquals(fromBare.Span));
            Assert.True(fromDerived.FixedTimeEquals(fromImported.Span));
            Assert.Equal(ciphertext == sent.Ciphertext, fromDerived.FixedTimeEquals(sent.SharedSecret.Span));
        }
    }
}
