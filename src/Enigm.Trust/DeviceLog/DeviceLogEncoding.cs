using System.Formats.Cbor;
using System.Text;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;

namespace Enigm.Trust.DeviceLog;

/// <summary>
/// Deterministic CBOR encoding of device-log entries (docs/trust-device-log.md, "Entry format"):
/// <c>[version, suite, type, body (bstr), signatures [[signer id, signature], …]]</c> with
/// <c>body = [sequence, previous hash, kind, timestamp (unix ms), subject id, subject name, subject public
/// key (encoded CryptoObject), reason]</c>. Each signature covers <c>"enigm/device-log/v1" ‖ binary
/// FormatHeader ‖ body</c>, so no header or body byte can change without every signature failing, and
/// device-log signatures cannot be replayed as any other Enigm object's.
/// An unsigned entry (what a new device co-signs) is the same array with no signatures.
/// </summary>
public static class DeviceLogEncoding
{
    /// <summary>
    /// The header's object type for a device-log entry (registered in Enigm.Crypto's <see cref="ObjectType"/>).
    /// </summary>
    public const ObjectType EntryObjectType = ObjectType.DeviceLogEntry;

    public const int MaxIdLength = 64;

    public const int MaxNameBytes = 256;

    public const int MaxReasonBytes = 1024;

    public const int MaxSignatures = 2;

    private const int BodyItems = 8;

    private static readonly byte[] DomainLabel = "enigm/device-log/v1"u8.ToArray();

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly long MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>The fields of an entry before signing.</summary>
    internal sealed record Body(
        long Sequence,
        byte[] PreviousHash,
        DeviceLogEntryKind Kind,
        DateTimeOffset Timestamp,
        string SubjectId,
        string SubjectName,
        byte[] SubjectPublicKey,
        string Reason);

    internal static byte[] EncodeBody(Body body)
    {
        CheckText(body);
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(BodyItems);
        writer.WriteUInt64((ulong)body.Sequence);
        writer.WriteByteString(body.PreviousHash);
        writer.WriteUInt32((uint)body.Kind);
        writer.WriteUInt64((ulong)body.Timestamp.ToUnixTimeMilliseconds());
        writer.WriteTextString(body.SubjectId);
        writer.WriteTextString(body.SubjectName);
        writer.WriteByteString(body.SubjectPublicKey);
        writer.WriteTextString(body.Reason);
        writer.WriteEndArray();
        return writer.Encode();
    }

    internal static byte[] SignedMessage(ushort suiteId, ReadOnlySpan<byte> body)
    {
        var message = new byte[DomainLabel.Length + FormatHeader.BinarySize + body.Length];
        DomainLabel.CopyTo(message, 0);
        new FormatHeader(FormatHeader.CurrentVersion, suiteId, EntryObjectType).WriteTo(message.AsSpan(DomainLabel.Length));
        body.CopyTo(message.AsSpan(DomainLabel.Length + FormatHeader.BinarySize));
        return message;
    }

    internal static byte[] EncodeEntry(ushort suiteId, byte[] body, IReadOnlyList<DeviceLogSignature> signatures)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(5);
        new FormatHeader(FormatHeader.CurrentVersion, suiteId, EntryObjectType).WriteTo(writer);
        writer.WriteByteString(body);
        writer.WriteStartArray(signatures.Count);
        foreach (var signature in signatures)
        {
            writer.WriteStartArray(2);
            writer.WriteTextString(signature.SignerId);
            writer.WriteByteString(signature.Signature);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>
    /// Decodes one entry within <paramref name="maxBytes"/>: canonical CBOR, header (format version,
    /// suite accepted by <paramref name="policy"/>, type), body fields and their text rules. Every
    /// signature on an entry is by a device or recovery key of the suite's device-signature algorithm, so
    /// the policy must accept that algorithm too (a composite: while one of its halves is). Typed errors
    /// only: <see cref="MalformedInputException"/>, <see cref="UnsupportedFormatVersionException"/>,
    /// <see cref="UnknownSuiteException"/>, <see cref="SuiteRefusedException"/>.
    /// </summary>
    public static DeviceLogEntry Decode(byte[] encoded, SuitePolicy policy, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        ArgumentNullException.ThrowIfNull(policy);
        var (header, body, signatures) = CanonicalCbor.Decode(encoded, maxBytes, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, 5);
            var h = FormatHeader.Read(reader, EntryObjectType, policy);
            var b = CanonicalCbor.ReadBytes(reader, maxBytes);
            var count = reader.ReadStartArray() ?? throw new MalformedInputException("Indefinite signature array.");
            if (count > MaxSignatures) throw new MalformedInputException($"An entry has at most {MaxSignatures} signatures, not {count}.");
            var s = new List<DeviceLogSignature>(count);
            for (var i = 0; i < count; i++)
            {
                CanonicalCbor.ReadArrayStart(reader, 2);
                var signer = ReadId(reader, "signer id");
                s.Add(new DeviceLogSignature(signer, CanonicalCbor.ReadBytes(reader, maxBytes)));
                reader.ReadEndArray();
            }

            reader.ReadEndArray();
            reader.ReadEndArray();
            return (h, b, s);
        });
        policy.Require(header.SuiteId, SuiteRegistry.Get(header.SuiteId).DeviceSignature);

        var fields = CanonicalCbor.Decode(body, maxBytes, DecodeBody);
        return new DeviceLogEntry(
            header.SuiteId, fields.Sequence, fields.PreviousHash, fields.Kind, fields.Timestamp, fields.SubjectId,
            fields.SubjectName, fields.SubjectPublicKey, fields.Reason, signatures, body, SignedMessage(header.SuiteId, body), encoded);
    }

    private static Body DecodeBody(CborReader reader)
    {
        CanonicalCbor.ReadArrayStart(reader, BodyItems);
        var sequence = (long)CanonicalCbor.ReadUInt(reader, long.MaxValue);
        var previous = CanonicalCbor.ReadBytes(reader, DeviceLogHead.HashLength);
        if (previous.Length is not (0 or DeviceLogHead.HashLength))
            throw new MalformedInputException($"A previous-entry hash has {DeviceLogHead.HashLength} bytes, not {previous.Length}.");
        var kind = CanonicalCbor.ReadUInt(reader, byte.MaxValue);
        if (!Enum.IsDefined((DeviceLogEntryKind)kind))
            throw new MalformedInputException($"Unknown device-log entry kind {kind}.");
        var timestamp = (long)CanonicalCbor.ReadUInt(reader, (ulong)MaxUnixMilliseconds);
        var subject = ReadId(reader, "subject id");
        var name = ReadText(reader, "subject name", MaxNameBytes);
        var key = CanonicalCbor.ReadBytes(reader, CryptoObject.MaxEncodedSize);
        var reason = ReadText(reader, "reason", MaxReasonBytes);
        reader.ReadEndArray();
        return new Body(sequence, previous, (DeviceLogEntryKind)kind, DateTimeOffset.FromUnixTimeMilliseconds(timestamp), subject, name, key, reason);
    }

    private static string ReadId(CborReader reader, string field)
    {
        var value = CanonicalCbor.ReadText(reader, MaxIdLength);
        return IsValidId(value) ? value : throw new MalformedInputException($"Device log: {field} must be 1-{MaxIdLength} characters of A-Z a-z 0-9 . _ -.");
    }

    private static string ReadText(CborReader reader, string field, int maxBytes)
    {
        var value = CanonicalCbor.ReadText(reader, maxBytes);
        return TextProblem(field, value, maxBytes) is { } problem ? throw new MalformedInputException($"Device log: {problem}.") : value;
    }

    /// <summary>Ids are short ASCII tokens, so they print safely and compare without normalisation.</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: > 0 and <= MaxIdLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>The writer applies the verifier's text rules, so it can never produce an entry the verifier rejects.</summary>
    private static void CheckText(Body body)
    {
        if (!IsValidId(body.SubjectId))
            throw new ArgumentException($"A device or recovery-key id must be 1-{MaxIdLength} characters of A-Z a-z 0-9 . _ -.", nameof(body));
        var problem = TextProblem("name", body.SubjectName, MaxNameBytes) ?? TextProblem("reason", body.Reason, MaxReasonBytes);
        if (problem is not null) throw new ArgumentException(problem, nameof(body));
    }

    /// <summary>Valid Unicode, within the byte limit, no control characters (names and reasons reach terminals).</summary>
    internal static string? TextProblem(string field, string value, int maxBytes)
    {
        if (value.Any(char.IsControl)) return $"{field} contains control characters";
        try
        {
            if (StrictUtf8.GetByteCount(value) > maxBytes) return $"{field} exceeds {maxBytes} bytes";
        }
        catch (EncoderFallbackException)
        {
            return $"{field} is not valid Unicode text";
        }

        return null;
    }
}
