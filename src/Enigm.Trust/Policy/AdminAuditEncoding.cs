using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;

namespace Enigm.Trust.Policy;

/// <summary>
/// The admin audit log on the wire (docs/policy.md, "Admin audit log"): deterministic CBOR
/// <c>["enigm/admin-audit/v1", [[sequence, unix ms, event, key id or null, detail, previous hash, hash, action], …]]</c>.
/// Decoding checks only the shape and limits; whether the log is intact and signed is the client's verifier's job.
/// </summary>
public static class AdminAuditEncoding
{
    public const string FormatName = "enigm/admin-audit/v1";

    /// <summary>Largest log a client accepts in one response.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    public const int MaxEntries = 100_000;

    private static readonly long MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public static byte[] Encode(IReadOnlyList<AdminAuditRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(2);
        writer.WriteTextString(FormatName);
        writer.WriteStartArray(records.Count);
        foreach (var r in records)
        {
            writer.WriteStartArray(8);
            writer.WriteInt64(r.Sequence);
            writer.WriteInt64(r.Time.ToUnixTimeMilliseconds());
            writer.WriteTextString(r.Event);
            if (r.KeyId is null) writer.WriteNull();
            else writer.WriteTextString(r.KeyId);
            writer.WriteTextString(r.Detail);
            writer.WriteByteString(r.PreviousHash);
            writer.WriteByteString(r.Hash);
            writer.WriteByteString(r.Action);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>Parses a log within <paramref name="maxBytes"/>; anything else is <see cref="MalformedInputException"/>.</summary>
    public static IReadOnlyList<AdminAuditRecord> Decode(byte[] encoded, int maxBytes = MaxBytes)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        return CanonicalCbor.Decode(encoded, maxBytes, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, 2);
            if (CanonicalCbor.ReadText(reader, 64) != FormatName) throw new MalformedInputException("Not an Enigm admin audit log (unknown format).");
            var count = reader.ReadStartArray() ?? throw new MalformedInputException("Admin audit log: indefinite entry list.");
            if (count > MaxEntries) throw new MalformedInputException($"Admin audit log: at most {MaxEntries} entries, not {count}.");
            var records = new List<AdminAuditRecord>(Math.Min(count, 1024));
            for (var i = 0; i < count; i++)
            {
                CanonicalCbor.ReadArrayStart(reader, 8);
                var sequence = reader.ReadInt64();
                var time = reader.ReadInt64();
                if (time < 0 || time > MaxUnixMilliseconds) throw new MalformedInputException($"Admin audit entry {sequence}: time out of range.");
                var kind = CanonicalCbor.ReadText(reader, 64);
                string? keyId = null;
                if (reader.PeekState() == CborReaderState.Null) reader.ReadNull();
                else keyId = CanonicalCbor.ReadText(reader, 256);
                var detail = CanonicalCbor.ReadText(reader, 4096);
                var previous = CanonicalCbor.ReadBytes(reader, 32);
                var hash = CanonicalCbor.ReadBytes(reader, 32);
                var action = CanonicalCbor.ReadBytes(reader, AdminActionEncoding.MaxBytes);
                reader.ReadEndArray();
                records.Add(new AdminAuditRecord(sequence, DateTimeOffset.FromUnixTimeMilliseconds(time), kind, keyId, detail, previous, hash, action));
            }

            reader.ReadEndArray();
            reader.ReadEndArray();
            return (IReadOnlyList<AdminAuditRecord>)records;
        });
    }
}
