using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Hybrid;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Xunit;

namespace Enigm.Crypto.Tests.Signatures;

/// <summary>
/// draft-ietf-lamps-pq-composite-sigs §3.3 / §4.1: a composite public key is checked component by component before
/// anything else, so a key whose traditional half is not a valid point is an <see cref="InvalidKeyException"/>, also
/// when the ML-DSA half would verify and whatever the signature or context (not a plain <c>false</c>, which would
/// let a caller take a broken key for a merely bad signature), where the component has a key check (P-384's point decoding).
/// </summary>
public sealed class CompositeComponentKeyTests
{
    private static readonly byte[] Message = "prekey bundle 3"u8.ToArray();

    [Fact]
    public void A_key_whose_P384_half_is_off_the_curve_is_refused_even_where_its_ml_dsa_half_verifies()
    {
        var (scheme, key, signature, broken) = KeyWithBrokenTraditionalHalf("id-MLDSA87-ECDSA-P384-SHA512", t => t[^1] ^= 0x01);

        Assert.True(scheme.Verify(key, Message, signature));
        Assert.Throws<InvalidKeyException>(() => scheme.ValidatePublicKey(broken));
        Assert.Throws<InvalidKeyException>(() => scheme.Verify(broken, Message, signature));
        // The checks that return false come after the key's: a short signature or an oversized context still names the key.
        Assert.Throws<InvalidKeyException>(() => scheme.Verify(broken, Message, signature.AsSpan(0, 10)));
        Assert.Throws<InvalidKeyException>(() => scheme.Verify(broken, Message, signature, new byte[256]));
    }

    [Theory]
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // y = p, non-canonical
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")] // the identity, small order
    public void A_key_whose_Ed25519_half_is_non_canonical_or_of_small_order_verifies_nothing(string half)
    {
        // RFC 8032 has no public-key check beyond length, so the provider's key check passes these; libsodium's
        // verification refuses them (non-canonical and small-order A), so the composite answers false.
        var (scheme, key, signature, broken) = KeyWithBrokenTraditionalHalf("id-MLDSA65-Ed25519-SHA512", t => Convert.FromHexString(half).CopyTo(t));

        Assert.True(scheme.Verify(key, Message, signature));
        Assert.False(scheme.Verify(broken, Message, signature));
    }

    private static (ISignatureScheme Scheme, byte[] Key, byte[] Signature, byte[] Broken) KeyWithBrokenTraditionalHalf(string name, SpanAction breakHalf)
    {
        var algorithm = SignatureAlgorithm.All.Single(a => a.Name == name);
        var scheme = CryptoProviders.Default.Signature(algorithm);
        using var key = scheme.GenerateKey();
        var signature = scheme.Sign(key, Message);
        var broken = (byte[])key.PublicKey.Clone();
        breakHalf(broken.AsSpan(CompositeSignatureParameters.For(algorithm).MlDsaPublicKeySize));
        return (scheme, key.PublicKey, signature, broken);
    }

    private delegate void SpanAction(Span<byte> traditionalHalf);
}
