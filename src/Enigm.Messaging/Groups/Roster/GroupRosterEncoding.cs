using System.Formats.Cbor;
using System.Text;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Prekeys;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;

namespace Enigm.Messaging.Groups.Roster;

/// <summary>
/// Deterministic CBOR encoding of roster entries (docs/groups.md, "Roster entry"), in the device log's
/// style (docs/trust-device-log.md): <c>[version, suite, type, body (bstr), signature (bstr)]</c> with
/// <c>body = [group id, sequence, previous hash, kind, timestamp (unix ms), signer account, signer device id,
/// subject account, group name]</c>. The signature, by the signer device's composite key, covers
/// <c>"enigm/group-roster/v1" ‖ binary FormatHeader ‖ body</c>, so no byte can change without it failing and
/// no other Enigm signature can be presented as a roster entry's.
/// </summary>
public static class GroupRosterEncoding
{
    public const ObjectType EntryObjectType = ObjectType.GroupRosterEntry;

    /// <summary>Most UTF-8 bytes of a group name.</summary>
    public const int MaxNameBytes = 128;

    /// <summary>Largest signature accepted (a composite ML-DSA-65 + Ed25519 signature is 3,373 bytes).</summary>
    public const int MaxSignatureBytes = 5 * 1024;

    private const int BodyItems = 9;

    private static readonly byte[] DomainLabel = "enigm/group-roster/v1"u8.ToArray();

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    internal sealed record Body(
        GroupId GroupId,
        long Sequence,
        byte[] PreviousHash,
        GroupRosterEntryKind Kind,
        DateTimeOffset Timestamp,
        AccountFingerprint SignerAccount,
        string SignerDevice,
        AccountFingerprint Subject,
        string GroupName);

    internal static byte[] EncodeBody(Body body)
    {
        if (!DeviceLogEncoding.IsValidId(body.SignerDevice)) throw new ArgumentException("Invalid signer device id.", nameof(body));
        if (NameProblem(body.GroupName) is { } problem) throw new ArgumentException(problem, nameof(body));
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(BodyItems);
        writer.WriteByteString(body.GroupId.Bytes);
        writer.WriteUInt64((ulong)body.Sequence);
        writer.WriteByteString(body.PreviousHash);
        writer.WriteUInt32((uint)body.Kind);
        writer.WriteUInt64((ulong)body.Timestamp.ToUnixTimeMilliseconds());
        writer.WriteByteString(body.SignerAccount.Bytes);
        writer.WriteTextString(body.SignerDevice);
        writer.WriteByteString(body.Subject.Bytes);
        writer.WriteTextString(body.GroupName);
        writer.WriteEndArray();
        return writer.Encode();
    }

    internal static byte[] SignedMessage(ushort suiteId, ReadOnlySpan<byte> body) =>
        MessagingCbor.SignedMessage(DomainLabel, new FormatHeader(FormatHeader.CurrentVersion, suiteId, EntryObjectType), body);

    internal static byte[] EncodeEntry(ushort suiteId, byte[] body, byte[] signature)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(5);
        new FormatHeader(FormatHeader.CurrentVersion, suiteId, EntryObjectType).WriteTo(writer);
        writer.WriteByteString(body);
        writer.WriteByteString(signature);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>
    /// Decodes one entry within <paramref name="maxBytes"/>: canonical CBOR, header (version, suite accepted by
    /// <paramref name="policy"/>, type), body fields and their rules. Typed errors only:
    /// <see cref="MalformedInputException"/>, <see cref="UnsupportedFormatVersionException"/>,
    /// <see cref="UnknownSuiteException"/>, <see cref="SuiteRefusedException"/>.
    /// </summary>
    public static GroupRosterEntry Decode(byte[] encoded, SuitePolicy policy, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        ArgumentNullException.ThrowIfNull(policy);
        var (header, body, signature) = CanonicalCbor.Decode(encoded, maxBytes, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, 5);
            var h = FormatHeader.Read(reader, EntryObjectType, policy);
            var b = CanonicalCbor.ReadBytes(reader, maxBytes);
            var s = CanonicalCbor.ReadBytes(reader, MaxSignatureBytes);
            reader.ReadEndArray();
            return (h, b, s);
        });
        policy.Require(header.SuiteId, SuiteRegistry.Get(header.SuiteId).DeviceSignature);
        var fields = CanonicalCbor.Decode(body, maxBytes, DecodeBody);
        return new GroupRosterEntry(header.SuiteId, fields, signature, SignedMessage(header.SuiteId, body), encoded);
    }

    private static Body DecodeBody(CborReader reader)
    {
        CanonicalCbor.ReadArrayStart(reader, BodyItems);
        var group = new GroupId(MessagingCbor.ReadExact(reader, GroupId.Length, "group id"));
        var sequence = (long)CanonicalCbor.ReadUInt(reader, long.MaxValue);
        var previous = CanonicalCbor.ReadBytes(reader, GroupRosterHead.HashLength);
        if (previous.Length is not (0 or GroupRosterHead.HashLength))
            throw new MalformedInputException($"A previous-entry hash has {GroupRosterHead.HashLength} bytes, not {previous.Length}.");
        var kind = CanonicalCbor.ReadUInt(reader, byte.MaxValue);
        if (!Enum.IsDefined((GroupRosterEntryKind)kind))
            throw new MalformedInputException($"Unknown roster entry kind {kind}.");
        var timestamp = MessagingCbor.ReadTimestamp(reader);
        var signer = new AccountFingerprint(MessagingCbor.ReadExact(reader, AccountFingerprint.Length, "signer account"));
        var device = CanonicalCbor.ReadText(reader, DeviceLogEncoding.MaxIdLength);
        if (!DeviceLogEncoding.IsValidId(device))
            throw new MalformedInputException($"Group roster: a device id is 1-{DeviceLogEncoding.MaxIdLength} characters of A-Z a-z 0-9 . _ -.");
        var subject = new AccountFingerprint(MessagingCbor.ReadExact(reader, AccountFingerprint.Length, "subject account"));
        var name = CanonicalCbor.ReadText(reader, MaxNameBytes);
        if (NameProblem(name) is { } problem) throw new MalformedInputException($"Group roster: {problem}.");
        reader.ReadEndArray();
        return new Body(group, sequence, previous, (GroupRosterEntryKind)kind, timestamp, signer, device, subject, name);
    }

    /// <summary>Valid Unicode, within the byte limit, no control characters (names reach terminals).</summary>
    internal static string? NameProblem(string name)
    {
        if (name.Any(char.IsControl)) return "the group name contains control characters";
        try
        {
            return StrictUtf8.GetByteCount(name) > MaxNameBytes ? $"the group name exceeds {MaxNameBytes} bytes" : null;
        }
        catch (EncoderFallbackException)
        {
            return "the group name is not valid Unicode text";
        }
    }
}
