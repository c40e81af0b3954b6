using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;

namespace Enigm.Client.Groups;

/// <summary>What a control message carries (values are on the wire; never reuse one).</summary>
internal enum ControlKind
{
    /// <summary>A group's whole roster (every entry, create first): sent to every member device after each change.</summary>
    GroupRoster = 1,

    /// <summary>A sender-key distribution for one group (docs/groups.md), only ever over a pairwise session.</summary>
    SenderKey = 2,

    /// <summary>A call signal (offer, answer, rekey, leave; docs/calls.md) with the call's relay room id.</summary>
    CallSignal = 3,
}

/// <summary>
/// Group and call control that travels inside a pairwise Triple Ratchet session, so it inherits the session's
/// post-quantum protection and sender authentication (issue 15: "sender keys are distributed only over the pairwise
/// sessions"). Deterministic CBOR, told apart from <see cref="Content.MessageContent"/> by its first element:
/// <code>[2, message id (bstr 16), kind, body (bstr), room (tstr) / null, identity certificate (bstr) / null]</code>
/// The message id is repeated inside (a relay cannot splice ids); <c>room</c> is a call's relay room id; the
/// certificate is the sender's messaging identity certificate, which call signals need (the call setup binds
/// identities, not only devices).
/// </summary>
internal sealed record ControlContent(byte[] MessageId, ControlKind Kind, byte[] Body, string? Room, byte[]? IdentityCertificate)
{
    public const int Marker = 2;
    public const int MaxBodyBytes = 200 * 1024;
    public const int MaxCertificateBytes = 16 * 1024;
    public const int MaxEncodedSize = MaxBodyBytes + MaxCertificateBytes + 256;

    /// <summary>True when <paramref name="plaintext"/> starts like a control message (an array whose first element is <see cref="Marker"/>).</summary>
    public static bool IsControl(ReadOnlySpan<byte> plaintext) =>
        plaintext.Length >= 2 && plaintext[0] == 0x86 && plaintext[1] == Marker;

    public byte[] Encode()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(6);
        writer.WriteInt32(Marker);
        writer.WriteByteString(MessageId);
        writer.WriteInt32((int)Kind);
        writer.WriteByteString(Body);
        if (Room is null) writer.WriteNull();
        else writer.WriteTextString(Room);
        if (IdentityCertificate is null) writer.WriteNull();
        else writer.WriteByteString(IdentityCertificate);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>Decodes decrypted control bytes with a limit on every field (<see cref="MalformedInputException"/>).</summary>
    public static ControlContent Decode(ReadOnlyMemory<byte> encoded) =>
        CanonicalCbor.Decode(encoded, MaxEncodedSize, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, 6);
            if (reader.ReadInt32() != Marker) throw new MalformedInputException("Not a control message.");
            var id = CanonicalCbor.ReadBytes(reader, 16);
            if (id.Length != 16) throw new MalformedInputException("A message id is 16 bytes.");
            var kind = reader.ReadInt32();
            if (!Enum.IsDefined((ControlKind)kind)) throw new MalformedInputException($"Control kind {kind} is not known.");
            var body = CanonicalCbor.ReadBytes(reader, MaxBodyBytes);
            string? room = null;
            if (reader.PeekState() == CborReaderState.Null) reader.ReadNull();
            else room = CanonicalCbor.ReadText(reader, global::Enigm.Relay.CallLimits.CallIdLength);
            byte[]? certificate = null;
            if (reader.PeekState() == CborReaderState.Null) reader.ReadNull();
            else certificate = CanonicalCbor.ReadBytes(reader, MaxCertificateBytes);
            reader.ReadEndArray();
            return new ControlContent(id, (ControlKind)kind, body, room, certificate);
        });
}
