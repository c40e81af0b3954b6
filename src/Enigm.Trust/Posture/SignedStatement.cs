using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;

namespace Enigm.Trust.Posture;

/// <summary>
/// The signed envelope shared by posture statements, organisation policies and admin actions (docs/policy.md,
/// "Formats"): deterministic CBOR <c>[version, suite, type, body (bstr), signature (bstr)]</c>. The signature is the
/// suite's device signature (composite id-MLDSA65-Ed25519-SHA512, both halves must verify) over
/// <c>label ‖ binary FormatHeader ‖ body</c>, the device log's construction (docs/trust-device-log.md), so a
/// signature made for one kind of object can never be presented as another's.
/// </summary>
internal static class SignedStatement
{
    /// <summary>A composite ML-DSA-65 + Ed25519 signature is 3,373 bytes; leave room for a later, larger suite.</summary>
    public const int MaxSignatureBytes = 8 * 1024;

    public static byte[] Encode(ushort suiteId, ObjectType type, ReadOnlySpan<byte> label, byte[] body, Func<byte[], byte[]> sign)
    {
        ArgumentNullException.ThrowIfNull(sign);
        var signature = sign(SignedMessage(suiteId, type, label, body));
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(5);
        new FormatHeader(FormatHeader.CurrentVersion, suiteId, type).WriteTo(writer);
        writer.WriteByteString(body);
        writer.WriteByteString(signature);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>
    /// Decodes the envelope within <paramref name="maxBytes"/> (typed <see cref="MalformedInputException"/> and the suite
    /// exceptions) and checks the signature with <paramref name="publicKey"/> (raw key of the suite's device-signature
    /// algorithm). Returns the body when the signature verifies, null when it does not.
    /// </summary>
    public static (FormatHeader Header, byte[] Body, bool SignatureValid) Open(
        byte[] encoded, ObjectType type, ReadOnlySpan<byte> label, int maxBytes, SuitePolicy policy, CryptoProviders providers, ReadOnlySpan<byte> publicKey)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        var (header, body, signature) = Decode(encoded, type, maxBytes, policy);
        var algorithm = SuiteRegistry.Get(header.SuiteId).DeviceSignature;
        bool valid;
        try
        {
            valid = providers.Signature(algorithm).Verify(publicKey, SignedMessage(header.SuiteId, type, label, body), signature);
        }
        catch (InvalidKeyException)
        {
            valid = false;
        }

        return (header, body, valid);
    }

    public static (FormatHeader Header, byte[] Body, byte[] Signature) Decode(byte[] encoded, ObjectType type, int maxBytes, SuitePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        ArgumentNullException.ThrowIfNull(policy);
        var decoded = CanonicalCbor.Decode(encoded, maxBytes, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, 5);
            var header = FormatHeader.Read(reader, type, policy);
            var body = CanonicalCbor.ReadBytes(reader, maxBytes);
            var signature = CanonicalCbor.ReadBytes(reader, MaxSignatureBytes);
            reader.ReadEndArray();
            return (header, body, signature);
        });
        policy.Require(decoded.header.SuiteId, SuiteRegistry.Get(decoded.header.SuiteId).DeviceSignature);
        return decoded;
    }

    public static SignatureAlgorithm AlgorithmOf(ushort suiteId) => SuiteRegistry.Get(suiteId).DeviceSignature;

    private static byte[] SignedMessage(ushort suiteId, ObjectType type, ReadOnlySpan<byte> label, ReadOnlySpan<byte> body)
    {
        var message = new byte[label.Length + FormatHeader.BinarySize + body.Length];
        label.CopyTo(message);
        new FormatHeader(FormatHeader.CurrentVersion, suiteId, type).WriteTo(message.AsSpan(label.Length));
        body.CopyTo(message.AsSpan(label.Length + FormatHeader.BinarySize));
        return message;
    }
}
