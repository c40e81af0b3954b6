using Enigm.Crypto.Errors;
using Enigm.Crypto.Secrets;
using Xunit;

namespace Enigm.Crypto.Tests.Kem;

/// <summary>Behaviour every KEM provider must show, run against each one available here.</summary>
public sealed class KemBehaviourTests
{
    public static TheoryData<string, string> Kems() => KemProviders.Kems();

    [Theory]
    [MemberData(nameof(Kems))]
    public void Decapsulation_recovers_the_encapsulated_secret(string algorithm, string provider)
    {
        var kem = KemProviders.Create(algorithm, provider);
        using var key = kem.GenerateKeyPair();
        using var sent = kem.Encapsulate(key.PublicKey);
        using var received = kem.Decapsulate(key, sent.Ciphertext);

        Assert.Equal(kem.Algorithm.CiphertextSize, sent.Ciphertext.Length);
        Assert.Equal(32, received.Length);
        Assert.True(received.FixedTimeEquals(sent.SharedSecret.Span));
    }

    [Theory]
    [MemberData(nameof(Kems))]
    public void Tampered_ciphertext_gives_a_different_secret_not_an_exception(string algorithm, string provider)
    {
        var kem = KemProviders.Create(algorithm, provider);
        using var key = kem.GenerateKeyPair();
        using var sent = kem.Encapsulate(key.PublicKey);
        // Flip a bit in the ML-KEM part (for X-Wing too): FIPS 203 implicit rejection applies.
        var tampered = (byte[])sent.Ciphertext.Clone();
        tampered[10] ^= 0x01;

        using var received = kem.Decapsulate(key, tampered);

        Assert.Equal(32, received.Length);
        Assert.False(received.FixedTimeEquals(sent.SharedSecret.Span));
    }

    [Theory]
    [MemberData(nameof(Kems))]
    public void Rejects_truncated_and_oversized_ciphertexts(string algorithm, string provider)
    {
        var kem = KemProviders.Create(algorithm, provider);
        using var key = kem.GenerateKeyPair();
        using var sent = kem.Encapsulate(key.PublicKey);

        Assert.Throws<MalformedInputException>(() => kem.Decapsulate(key, sent.Ciphertext.AsSpan(0, sent.Ciphertext.Length - 1)));
        Assert.Throws<MalformedInputException>(() => kem.Decapsulate(key, [.. sent.Ciphertext, 0]));
        Assert.Throws<MalformedInputException>(() => kem.Decapsulate(key, []));
    }

    [Theory]
    [MemberData(nameof(Kems))]
    public void Rejects_public_keys_of_the_wrong_length(string algorithm, string provider)
    {
        var kem = KemProviders.Create(algorithm, provider);
        using var key = kem.GenerateKeyPair();

        Assert.Throws<InvalidKeyException>(() => kem.Encapsulate(key.PublicKey.AsSpan(1)));
        Assert.Throws<InvalidKeyException>(() => kem.Encapsulate([.. key.PublicKey, 0]));
        Assert.Throws<InvalidKeyException>(() => kem.ValidatePublicKey([]));
    }

    [Theory]
    [MemberData(nameof(Kems))]
    public void Rejects_public_key_failing_the_modulus_check(string algorithm, string provider)
    {
        var kem = KemProviders.Create(algorithm, provider);
        using var key = kem.GenerateKeyPair();
        var bad = (byte[])key.PublicKey.Clone();
        // First 12-bit coefficient = 0xFFF ≥ q = 3329 (FIPS 203 7.2), for ML-KEM and X-Wing's ML-KEM part.
        bad[0] = 0xFF;
        bad[1] |= 0x0F;

        Assert.Throws<InvalidKeyException>(() => kem.ValidatePublicKey(bad));
        Assert.Throws<InvalidKeyException>(() => kem.Encapsulate(bad));
    }

    [Theory]
    [MemberData(nameof(Kems))]
    public void Rejects_seeds_of_the_wrong_length(string algorithm, string provider)
    {
        var kem = KemProviders.Create(algorithm, provider);

        Assert.Throws<InvalidKeyException>(() => kem.DeriveKeyPair(new byte[kem.Algorithm.SeedSize - 1]));
        Assert.Throws<InvalidKeyException>(() => kem.DeriveKeyPair(new byte[kem.Algorithm.SeedSize + 1]));
    }

    [Theory]
    [MemberData(nameof(Kems))]
    public void Derivation_from_a_seed_is_deterministic(string algorithm, string provider)
    {
        var kem = KemProviders.Create(algorithm, provider);
        var seed = Enumerable.Range(0, kem.Algorithm.SeedSize).Select(i => (byte)i).ToArray();
        using var first = kem.DeriveKeyPair(seed);
        using var second = kem.DeriveKeyPair(seed);

        Assert.Equal(first.PublicKey, second.PublicKey);
        Assert.Equal(PrivateKeyFormat.Seed, first.Format);
        using var material = first.ExportPrivateMaterial();
        Assert.Equal(seed, material.Span.ToArray());
    }

    [Theory]
    [MemberData(nameof(Kems))]
    public void Rejects_a_private_key_of_another_algorithm(string algorithm, string provider)
    {
        var kem = KemProviders.Create(algorithm, provider);
        using var foreignKey = KemProviders.X25519("bouncycastle").GenerateKey();

        Assert.Throws<InvalidKeyException>(() => kem.Decapsulate(foreignKey, new byte[kem.Algorithm.CiphertextSize]));
    }

    [Theory]
    [MemberData(nameof(Kems))]
    public void Private_key_string_form_is_redacted_and_dispose_blocks_use(string algorithm, string provider)
    {
        var kem = KemProviders.Create(algorithm, provider);
        var key = kem.GenerateKeyPair();
        using var sent = kem.Encapsulate(key.PublicKey);
        using var material = key.ExportPrivateMaterial();
        var hex = Convert.ToHexString(material.Span);

        var text = key.ToString();

        Assert.Contains("redacted", text, StringComparison.Ordinal);
        Assert.DoesNotContain(hex, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToHexString(material.Span[..8]), text, StringComparison.OrdinalIgnoreCase);
        key.Dispose();
        Assert.True(key.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => kem.Decapsulate(key, sent.Ciphertext));
    }

    [Theory]
    [MemberData(nameof(Kems))]
    public void Shared_secret_is_zeroed_on_dispose(string algorithm, string provider)
    {
        var kem = KemProviders.Create(algorithm, provider);
        using var key = kem.GenerateKeyPair();
        var sent = kem.Encapsulate(key.PublicKey);

        sent.Dispose();

        Assert.Throws<ObjectDisposedException>(() => sent.SharedSecret.Span.Length);
        Assert.DoesNotContain("0x", sent.SharedSecret.ToString(), StringComparison.Ordinal);
    }
}
