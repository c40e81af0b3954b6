using Enigm.Cli.Output;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;

namespace Enigm.Cli.Demo;

/// <summary>
/// Chapter 1: the crypto core. Hybrid keys, X-Wing, both LAMPS composites (and that corrupting either
/// half breaks them), the versioned encoding refusing what it must, and the provider table.
/// </summary>
public sealed class CryptoChapter : IDemoChapter
{
    public string Name => "crypto";

    public string Title => "Crypto core: hybrid post-quantum primitives";

    public void Run(ChapterContext context)
    {
        var suite = context.Policy.Preferred;
        context.Step($"Preferred {suite}");
        XWingRoundTrip(context);
        foreach (var algorithm in new[] { suite.DeviceSignature, suite.ReleaseSignature })
            CompositeSignatures(context, algorithm);
        Encodings(context);

        context.Step("Providers selected on this machine (fastest correct first; `enigm selftest` proves each one):");
        ProviderTable.Print(context.Narrator, context.Providers);
    }

    private static void XWingRoundTrip(ChapterContext context)
    {
        var kem = context.Providers.Kem(KemAlgorithm.XWing);
        context.Step($"X-Wing (ML-KEM-768 + X25519) via {kem.Provider}: generate, encapsulate, decapsulate");
        using var recipient = kem.GenerateKeyPair();
        context.Info($"recipient key {recipient} — public key {recipient.PublicKey.Length} bytes");
        using var sent = kem.Encapsulate(recipient.PublicKey);
        context.Info($"ciphertext {sent.Ciphertext.Length} bytes, shared secret {sent.SharedSecret}");

        context.Check("X-Wing: the recipient decapsulates the sender's shared secret", () =>
        {
            using var received = kem.Decapsulate(recipient, sent.Ciphertext);
            return received.FixedTimeEquals(sent.SharedSecret.Span);
        });
        context.Check("X-Wing: a ciphertext with one flipped bit yields an unrelated secret (implicit rejection)", () =>
        {
            var tampered = (byte[])sent.Ciphertext.Clone();
            tampered[17] ^= 0x01;
            using var wrong = kem.Decapsulate(recipient, tampered);
            return !wrong.FixedTimeEquals(sent.SharedSecret.Span);
        });
        context.Rejects<MalformedInputException>("X-Wing: a truncated ciphertext is refused as malformed", () =>
            kem.Decapsulate(recipient, sent.Ciphertext.AsSpan(1)).Dispose());
    }

    private static void CompositeSignatures(ChapterContext context, SignatureAlgorithm algorithm)
    {
        var scheme = context.Providers.Signature(algorithm);
        var (pq, classical) = algorithm == SignatureAlgorithm.MlDsa65Ed25519
            ? (SignatureAlgorithm.MlDsa65, SignatureAlgorithm.Ed25519)
            : (SignatureAlgorithm.MlDsa87, SignatureAlgorithm.EcdsaP384);
        context.Step($"{algorithm.Name}: {pq.Name} via {context.Providers.SelectedProvider(pq)} + {classical.Name} via {context.Providers.SelectedProvider(classical)}");
        using var key = scheme.GenerateKey();
        var message = "Enigm release 1.4.2 manifest"u8.ToArray();
        var signature = scheme.Sign(key, message);
        context.Info($"public key {key.PublicKey.Length} bytes, signature {signature.Length} bytes");

        context.Check($"{algorithm.Name}: the signature verifies", () => scheme.Verify(key.PublicKey, message, signature));
        context.Check($"{algorithm.Name}: corrupting the ML-DSA half fails verification", () =>
            !scheme.Verify(key.PublicKey, message, Flip(signature, 100)));
        context.Check($"{algorithm.Name}: corrupting the classical half fails verification", () =>
            !scheme.Verify(key.PublicKey, message, Flip(signature, pq.MaxSignatureSize + 10)));
        context.Check($"{algorithm.Name}: a changed message fails verification", () =>
            !scheme.Verify(key.PublicKey, "Enigm release 1.4.3 manifest"u8, signature));
        context.Rejects<SignatureInvalidException>($"{algorithm.Name}: VerifyOrThrow raises SignatureInvalid for a bad signature", () =>
            scheme.VerifyOrThrow(key.PublicKey, message, Flip(signature, 5)));
    }

    private static void Encodings(ChapterContext context)
    {
        var suite = context.Policy.Preferred;
        context.Step("Versioned encoding: every object carries format version, suite and type");
        var xwing = context.Providers.Kem(KemAlgorithm.XWing);
        using var key = xwing.GenerateKeyPair();
        var encoded = new CryptoObject(ObjectType.PublicKey, suite, KemAlgorithm.XWing, key.PublicKey).Encode();
        context.Info($"encoded X-Wing public key: {encoded.Length} bytes of deterministic CBOR");
        context.Check("an encoded public key decodes to the same key", () =>
            CryptoObject.DecodePublicKey(encoded, context.Policy, context.Providers).Value.AsSpan().SequenceEqual(key.PublicKey));

        // In the CBOR array the suite id is the second item: 0x85 (array of 5), 0x01 (version), 0x01 (suite).
        context.Rejects<UnknownSuiteException>("an object naming an unknown suite is refused", () =>
            CryptoObject.Decode(WithByte(encoded, 2, 0x17), ObjectType.PublicKey, context.Policy));
        context.Rejects<SuiteRefusedException>("an X-Wing key is refused by a policy that refuses X-Wing", () =>
            CryptoObject.Decode(encoded, ObjectType.PublicKey, context.Policy.RefuseAlgorithm(KemAlgorithm.XWing)));
        context.Rejects<UnsupportedFormatVersionException>("an object with an unknown format version is refused", () =>
            CryptoObject.Decode(WithByte(encoded, 1, 0x02), ObjectType.PublicKey, context.Policy));
        context.Rejects<MalformedInputException>("a public key presented as a signature is refused", () =>
            CryptoObject.Decode(encoded, ObjectType.Signature, context.Policy));
        context.Rejects<MalformedInputException>("trailing bytes after an object are refused", () =>
            CryptoObject.Decode(encoded.Append((byte)0).ToArray(), ObjectType.PublicKey, context.Policy));
    }

    private static byte[] Flip(byte[] data, int index) => WithByte(data, index, (byte)(data[index] ^ 0x40));

    private static byte[] WithByte(byte[] data, int index, byte value)
    {
        var copy = (byte[])data.Clone();
        copy[index] = value;
        return copy;
    }
}
