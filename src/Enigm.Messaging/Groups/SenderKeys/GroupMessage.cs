using System.Buffers.Binary;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Groups.Roster;
using Enigm.Messaging.Prekeys;

namespace Enigm.Messaging.Groups.SenderKeys;

/// <summary>
/// One group message (libsignal's <c>SenderKeyMessage</c>; docs/groups.md, "Group message"): the content
/// encrypted once under the sender chain's message key, and signed by the chain's signing key. Encoded as
/// deterministic CBOR <c>[version, suite, type, group id, chain id, iteration, ciphertext, signature]</c>. The
/// sender's identity is not in it: the random chain id names the chain, which receivers know (from its
/// distribution) to belong to one member device, so the relay storing the message learns no sender.
/// </summary>
public sealed record GroupMessage(ushort SuiteId, GroupId GroupId, byte[] ChainId, uint Iteration, byte[] Ciphertext, byte[] Signature)
{
    /// <summary>Largest plaintext a group message carries (as a sealed-sender layer's content).</summary>
    public const int MaxPlaintextSize = 192 * 1024;

    /// <summary>Largest encoded group message: ciphertext, tag, the largest signature, framing.</summary>
    public const int MaxEncodedSize = MaxPlaintextSize + 16 + 4 * 1024;

    public const int MaxSignatureSize = 4 * 1024;

    private const int Items = 8;

    private static readonly byte[] Label = "enigm/group-message/v1"u8.ToArray();

    public byte[] Encode()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(Items);
        Header.WriteTo(writer);
        writer.WriteByteString(GroupId.Bytes);
        writer.WriteByteString(ChainId);
        writer.WriteUInt32(Iteration);
        writer.WriteByteString(Ciphertext);
        writer.WriteByteString(Signature);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>
    /// Parses an untrusted group message (size limit, canonical CBOR, header, field lengths). Typed errors:
    /// <c>MalformedInputException</c> and the header's suite and version errors.
    /// </summary>
    public static GroupMessage Decode(ReadOnlyMemory<byte> encoded, SuitePolicy? policy = null)
    {
        policy ??= SuitePolicy.Default;
        return CanonicalCbor.Decode(encoded, MaxEncodedSize, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, Items);
            var header = FormatHeader.Read(reader, ObjectType.GroupMessage, policy);
            var group = new GroupId(MessagingCbor.ReadExact(reader, GroupId.Length, "group id"));
            var chainId = MessagingCbor.ReadExact(reader, SenderKeyDistribution.ChainIdLength, "chain id");
            var iteration = MessagingCbor.ReadId(reader);
            var ciphertext = CanonicalCbor.ReadBytes(reader, MaxPlaintextSize + 16);
            if (ciphertext.Length < 16) throw new Crypto.Errors.MalformedInputException("A group message ciphertext is shorter than its tag.");
            var signature = CanonicalCbor.ReadBytes(reader, MaxSignatureSize);
            reader.ReadEndArray();
            return new GroupMessage(header.SuiteId, group, chainId, iteration, ciphertext, signature);
        });
    }

    internal FormatHeader Header => new(FormatHeader.CurrentVersion, SuiteId, ObjectType.GroupMessage);

    /// <summary>
    /// The AEAD's associated data: label ‖ binary header ‖ group id ‖ chain id ‖ iteration (big-endian), all of
    /// fixed length, so the ciphertext is bound to its group, chain and position.
    /// </summary>
    internal byte[] AssociatedData()
    {
        var data = new byte[Label.Length + FormatHeader.BinarySize + GroupId.Length + ChainId.Length + 4];
        var span = data.AsSpan();
        Label.CopyTo(span);
        Header.WriteTo(span[Label.Length..]);
        var offset = Label.Length + FormatHeader.BinarySize;
        GroupId.Bytes.CopyTo(span[offset..]);
        ChainId.CopyTo(span[(offset + GroupId.Length)..]);
        BinaryPrimitives.WriteUInt32BigEndian(span[(offset + GroupId.Length + ChainId.Length)..], Iteration);
        return data;
    }

    /// <summary>What the signature covers: the associated data ‖ the ciphertext (every field but the signature).</summary>
    internal byte[] SignedContent()
    {
        var ad = AssociatedData();
        var content = new byte[ad.Length + Ciphertext.Length];
        ad.CopyTo(content, 0);
        Ciphertext.CopyTo(content, ad.Length);
        return content;
    }
}
