using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Xunit;

namespace Enigm.Crypto.Tests.Signatures;

/// <summary>
/// The composite signature's guards each refuse for their own reason (draft-ietf-lamps-pq-composite-sigs §4.1 and
/// §4.2 sizes, the key's algorithm), so that a guard removed is not hidden by a component failing later on the same
/// input with the same exception type.
/// </summary>
public sealed class CompositeSignatureGuardTests
{
    private static readonly byte[] Message = "guards"u8.ToArray();

    public static TheoryData<string> Composites() => new() { "id-MLDSA65-Ed25519-SHA512", "id-MLDSA87-ECDSA-P384-SHA512" };

    private static ISignatureScheme Scheme(string name) => CryptoProviders.Default.Signature(SignatureAlgorithm.All.Single(a => a.Name == name));

    [Theory]
    [MemberData(nameof(Composites))]
    public void Signing_needs_a_key_of_this_composite(string name)
    {
        var scheme = Scheme(name);
        var other = Scheme(name == "id-MLDSA65-Ed25519-SHA512" ? "id-MLDSA87-ECDSA-P384-SHA512" : "id-MLDSA65-Ed25519-SHA512");
        using var otherKey = other.GenerateKey();

        Assert.Equal("privateKey", Assert.Throws<ArgumentNullException>(() => scheme.Sign(null!, Message)).ParamName);
        var refusal = Assert.Throws<InvalidKeyException>(() => scheme.Sign(otherKey, Message));
        Assert.Contains($"cannot sign with {name}", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Composites))]
    public void Size_errors_name_the_size(string name)
    {
        var scheme = Scheme(name);
        using var key = scheme.GenerateKey();
        using var material = key.ExportPrivateMaterial();

        var shortKey = Assert.Throws<InvalidKeyException>(() => scheme.Verify(key.PublicKey.AsSpan(0, 100), Message, scheme.Sign(key, Message)));
        Assert.Contains("public key is 100 bytes", shortKey.Message, StringComparison.Ordinal);
        // Exactly the ML-DSA seed and nothing after it: no traditional key at all.
        var seedOnly = Assert.Throws<InvalidKeyException>(() => scheme.ImportPrivateKey(material.Span[..32]));
        Assert.Contains("private key is too short (32 bytes)", seedOnly.Message, StringComparison.Ordinal);
        var expanded = Assert.Throws<InvalidKeyException>(() => scheme.ImportPrivateKey(material.Span, PrivateKeyFormat.Expanded));
        Assert.Contains("only in the draft's seed serialisation", expanded.Message, StringComparison.Ordinal);
    }
}
