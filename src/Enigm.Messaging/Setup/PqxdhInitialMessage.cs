using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Prekeys;

namespace Enigm.Messaging.Setup;

/// <summary>
/// PQXDH 3.3's initial message: Alice's identity key, her ephemeral key, the identifiers of the prekeys she
/// used, and the KEM ciphertext. Deterministic CBOR
/// <c>[version, suite, type, IK_A (32), EK_A (32), SPK id, OPK id or null, KEM prekey id, last resort (bool), CT]</c>;
/// 1,648 to 1,664 bytes with ML-KEM-1024 (the ids' lengths vary). The first ratchet message travels beside it, sealed together.
/// </summary>
public sealed record PqxdhInitialMessage(
    Suite Suite,
    byte[] IdentityKey,
    byte[] EphemeralKey,
    uint SignedPrekeyId,
    uint? OneTimePrekeyId,
    uint KemPrekeyId,
    bool KemPrekeyIsLastResort,
    byte[] KemCiphertext)
{
    /// <summary>Ceiling of an encoded initial message (any suite's KEM ciphertext and framing).</summary>
    public const int MaxEncodedSize = 4 * 1024;

    private const int Items = 10;

    public byte[] Encode()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(Items);
        FormatHeader.For(Suite, ObjectType.PqxdhInitialMessage).WriteTo(writer);
        writer.WriteByteString(IdentityKey);
        writer.WriteByteString(EphemeralKey);
        writer.WriteUInt32(SignedPrekeyId);
        if (OneTimePrekeyId is { } id) writer.WriteUInt32(id);
        else writer.WriteNull();
        writer.WriteUInt32(KemPrekeyId);
        writer.WriteBoolean(KemPrekeyIsLastResort);
        writer.WriteByteString(KemCiphertext);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>Structural decode with exact key and ciphertext sizes for the suite; typed errors only.</summary>
    public static PqxdhInitialMessage Decode(ReadOnlyMemory<byte> encoded, SuitePolicy? policy = null)
    {
        policy ??= SuitePolicy.Default;
        return CanonicalCbor.Decode(encoded, MaxEncodedSize, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, Items);
            var header = FormatHeader.Read(reader, ObjectType.PqxdhInitialMessage, policy);
            var suite = policy.Require(header.SuiteId);
            var identityKey = MessagingCbor.ReadExact(reader, suite.SessionKeyAgreement.PublicKeySize, "identity key");
            var ephemeralKey = MessagingCbor.ReadExact(reader, suite.SessionKeyAgreement.PublicKeySize, "ephemeral key");
            var signedPrekeyId = MessagingCbor.ReadId(reader);
            uint? oneTimePrekeyId = null;
            if (reader.PeekState() == CborReaderState.Null) reader.ReadNull();
            else oneTimePrekeyId = MessagingCbor.ReadId(reader);
            var kemPrekeyId = MessagingCbor.ReadId(reader);
            var lastResort = reader.ReadBoolean();
            var ciphertext = MessagingCbor.ReadExact(reader, suite.SessionKem.CiphertextSize, "KEM ciphertext");
            reader.ReadEndArray();
            return new PqxdhInitialMessage(suite, identityKey, ephemeralKey, signedPrekeyId, oneTimePrekeyId, kemPrekeyId, lastResort, ciphertext);
        });
    }

    public override string ToString() =>
        $"PqxdhInitialMessage(SPK {SignedPrekeyId}, OPK {OneTimePrekeyId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, KEM {KemPrekeyId}{(KemPrekeyIsLastResort ? " last resort" : "")})";
}
