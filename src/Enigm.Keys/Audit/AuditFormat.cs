using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using Enigm.Crypto.Encoding;

namespace Enigm.Keys.Audit;

/// <summary>
/// The byte-level formats of the audit log (docs/keys-audit.md): the chain hash of an entry and the
/// message a checkpoint signs. Shared by the writer, the verifier and the export so the three cannot drift.
/// </summary>
internal static class AuditFormat
{
    public const int HashSize = 32;

    public const int MaxEventLength = 64;

    public const int MaxKeyIdLength = 256;

    public const int MaxDetailLength = 4096;

    /// <summary>
    /// Checkpoints carry no suite of their own; their header names suite 1, whose device signature
    /// (id-MLDSA65-Ed25519-SHA512) is the store's storage key. Trust comes from the signer set, not a policy.
    /// </summary>
    public const ushort CheckpointSuiteId = 1;

    /// <summary>Largest time the log can hold: DateTimeOffset.MaxValue in Unix milliseconds.</summary>
    public static readonly long MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private static readonly byte[] ChainLabel = "enigm-keys/audit/v1"u8.ToArray();

    private static readonly byte[] CheckpointLabel = "enigm-keys/audit-checkpoint/v1"u8.ToArray();

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] ZeroHash() => new byte[HashSize];

    /// <summary>
    /// Hash_n = SHA-256("enigm-keys/audit/v1" ‖ Hash_{n-1} ‖ CBOR [sequence, unix ms, event, key id or null, detail]).
    /// Null when a text field is not valid UTF-16 (only possible for a tampered or hand-made entry).
    /// </summary>
    public static byte[]? EntryHash(ReadOnlySpan<byte> previousHash, long sequence, long unixMilliseconds, string eventKind, string? keyId, string detail)
    {
        if (eventKind is null || detail is null) return null;
        if (!IsEncodable(eventKind) || !IsEncodable(keyId) || !IsEncodable(detail)) return null;

        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(5);
        writer.WriteInt64(sequence);
        writer.WriteInt64(unixMilliseconds);
        writer.WriteTextString(eventKind);
        if (keyId is null) writer.WriteNull();
        else writer.WriteTextString(keyId);
        writer.WriteTextString(detail);
        writer.WriteEndArray();
        var body = writer.Encode();

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(ChainLabel);
        hash.AppendData(previousHash);
        hash.AppendData(body);
        return hash.GetHashAndReset();
    }

    /// <summary>The chain hash <paramref name="entry"/> should have, recomputed from its own fields.</summary>
    public static byte[]? EntryHash(AuditEntry entry, long sequence) =>
        EntryHash(entry.PreviousHash, sequence, entry.Time.ToUnixTimeMilliseconds(), entry.Event, entry.KeyId, entry.Detail);

    /// <summary>
    /// What a checkpoint signs: "enigm-keys/audit-checkpoint/v1" ‖ CBOR [version, suite, type
    /// (FormatHeader, ObjectType.AuditCheckpoint), sequence, hash, unix ms, signer key id, signer algorithm].
    /// </summary>
    public static byte[] CheckpointMessage(long sequence, ReadOnlySpan<byte> hash, long unixMilliseconds, string signerKeyId, string signerAlgorithm)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(8);
        new FormatHeader(FormatHeader.CurrentVersion, CheckpointSuiteId, ObjectType.AuditCheckpoint).WriteTo(writer);
        writer.WriteInt64(sequence);
        writer.WriteByteString(hash);
        writer.WriteInt64(unixMilliseconds);
        writer.WriteTextString(signerKeyId);
        writer.WriteTextString(signerAlgorithm);
        writer.WriteEndArray();
        return [.. CheckpointLabel, .. writer.Encode()];
    }

    /// <summary>Null when the text is acceptable for a field of at most <paramref name="maxBytes"/> UTF-8 bytes; else the reason.</summary>
    public static string? TextProblem(string field, string? value, int maxBytes, bool allowEmpty)
    {
        if (value is null) return $"{field} is missing";
        if (value.Length == 0 && !allowEmpty) return $"{field} is empty";
        if (!IsEncodable(value)) return $"{field} is not valid Unicode text";
        if (StrictUtf8.GetByteCount(value) > maxBytes) return $"{field} exceeds {maxBytes} bytes";
        return null;
    }

    /// <summary>Event names are short printable ASCII (they are shown on terminals and used in queries).</summary>
    public static string? EventProblem(string? value)
    {
        if (TextProblem("event", value, MaxEventLength, allowEmpty: false) is { } problem) return problem;
        return value!.All(c => c is >= ' ' and <= '~') ? null : "event must be printable ASCII";
    }

    public static DateTimeOffset FromUnixMilliseconds(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    /// <summary>Untrusted text for an error message: printable ASCII only, truncated.</summary>
    public static string Printable(string? text) =>
        text is null ? "(none)" : new([.. text.Take(64).Select(c => c is >= ' ' and <= '~' ? c : '?')]);

    public static bool SameBytes(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) =>
        CryptographicOperations.FixedTimeEquals(a, b);

    private static bool IsEncodable(string? text)
    {
        if (text is null) return true;
        try
        {
            StrictUtf8.GetByteCount(text);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }
}
