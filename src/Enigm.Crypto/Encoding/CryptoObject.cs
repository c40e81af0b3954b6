using System.Formats.Cbor;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;

namespace Enigm.Crypto.Encoding;

/// <summary>
/// A public key, signature or KEM ciphertext as Enigm transmits it: deterministic CBOR
/// <c>[version, suite, type, algorithm name, bytes]</c>. Decoding checks the header against the policy,
/// that the algorithm is known, of the right kind and part of the named suite, that the bytes have
/// the algorithm's size, and that the policy accepts the algorithm (<see cref="SuitePolicy.Accepts"/>).
/// Public keys are further checked by the selected provider (<see cref="DecodePublicKey"/>), so an
/// encoded key that decodes is a key that can be used.
/// </summary>
public sealed record CryptoObject(ObjectType Type, Suite Suite, CryptoAlgorithm Algorithm, byte[] Value)
{
    /// <summary>Largest encoded object: an SLH-DSA-SHA2-256s signature plus framing.</summary>
    public const int MaxEncodedSize = 32 * 1024;

    private const int MaxAlgorithmNameLength = 64;

    public byte[] Encode()
    {
        CheckShape(Type, Suite, Algorithm, Value.Length);
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(5);
        FormatHeader.For(Suite, Type).WriteTo(writer);
        writer.WriteTextString(Algorithm.Name);
        writer.WriteByteString(Value);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>Structural decode: header, algorithm and size checks; typed errors only.</summary>
    public static CryptoObject Decode(ReadOnlyMemory<byte> encoded, ObjectType expectedType, SuitePolicy policy) =>
        CanonicalCbor.Decode(encoded, MaxEncodedSize, reader => Read(reader, expectedType, policy));

    /// <summary>Decodes a public key and has the selected provider validate it.</summary>
    public static CryptoObject DecodePublicKey(ReadOnlyMemory<byte> encoded, SuitePolicy policy, CryptoProviders providers)
    {
        var key = Decode(encoded, ObjectType.PublicKey, policy);
        switch (key.Algorithm)
        {
            case KemAlgorithm kem:
                providers.Kem(kem).ValidatePublicKey(key.Value);
                break;
            case SignatureAlgorithm signature:
                providers.Signature(signature).ValidatePublicKey(key.Value);
                break;
            case KeyAgreementAlgorithm:
                // Every 32-byte string is an X25519 public key (RFC 7748 5); low-order points are caught at agreement.
                break;
        }

        return key;
    }

    private static CryptoObject Read(CborReader reader, ObjectType expectedType, SuitePolicy policy)
    {
        CanonicalCbor.ReadArrayStart(reader, 5);
        var header = FormatHeader.Read(reader, expectedType, policy);
        var suite = policy.Require(header.SuiteId);
        var name = CanonicalCbor.ReadText(reader, MaxAlgorithmNameLength);
        var algorithm = FindAlgorithm(expectedType, name);
        var value = CanonicalCbor.ReadBytes(reader, MaxEncodedSize);
        reader.ReadEndArray();
        CheckShape(expectedType, suite, algorithm, value.Length);
        // The object relies on its own algorithm: refused alone, or a composite with every half refused.
        policy.Require(suite.Id, algorithm);
        return new CryptoObject(expectedType, suite, algorithm, value);
    }

    private static CryptoAlgorithm FindAlgorithm(ObjectType type, string name)
    {
        AlgorithmKind[] kinds = type switch
        {
            ObjectType.PublicKey => [AlgorithmKind.Kem, AlgorithmKind.KeyAgreement, AlgorithmKind.Signature],
            ObjectType.Signature => [AlgorithmKind.Signature],
            ObjectType.KemCiphertext => [AlgorithmKind.Kem],
            _ => [],
        };
        return kinds.Select(k => CryptoAlgorithm.Find(k, name)).FirstOrDefault(a => a is not null)
            ?? throw new MalformedInputException($"Unknown {type} algorithm '{Printable(name)}'.");
    }

    private static void CheckShape(ObjectType type, Suite suite, CryptoAlgorithm algorithm, int length)
    {
        if (!suite.Uses(algorithm))
            throw new MalformedInputException($"{algorithm.Name} is not part of {suite}.");

        var (min, max) = (type, algorithm) switch
        {
            (ObjectType.PublicKey, KemAlgorithm k) => (k.PublicKeySize, k.PublicKeySize),
            (ObjectType.PublicKey, KeyAgreementAlgorithm a) => (a.PublicKeySize, a.PublicKeySize),
            (ObjectType.PublicKey, SignatureAlgorithm s) => (s.PublicKeySize, s.PublicKeySize),
            (ObjectType.Signature, SignatureAlgorithm s) => (s.MinSignatureSize, s.MaxSignatureSize),
            (ObjectType.KemCiphertext, KemAlgorithm k) => (k.CiphertextSize, k.CiphertextSize),
            _ => throw new MalformedInputException($"{algorithm.Name} cannot appear in a {type} object."),
        };
        if (length < min || length > max)
            throw new MalformedInputException($"{algorithm.Name} {type} has {length} bytes; expected {(min == max ? $"{min}" : $"{min}..{max}")}.");
    }

    /// <summary>Untrusted text echoed in an error: printable ASCII only, truncated.</summary>
    private static string Printable(string text) =>
        new([.. text.Take(MaxAlgorithmNameLength).Select(c => c is >= ' ' and <= '~' ? c : '?')]);
}
