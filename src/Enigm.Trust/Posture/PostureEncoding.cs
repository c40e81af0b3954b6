using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Policy;

namespace Enigm.Trust.Posture;

/// <summary>
/// Signing, encoding and verification of <see cref="PostureStatement"/> (docs/policy.md, "Posture statement"). The body
/// is deterministic CBOR <c>[account, device, issued (unix ms), client version, OS version, protector,
/// keys [[purpose, age s, cryptoperiod s, due, overdue], …], installed release, last OTA check (unix ms) or null,
/// audit check, unverified contacts, changed contacts]</c> inside the <see cref="SignedStatement"/> envelope with the
/// label <c>"enigm/posture/v1"</c>.
/// </summary>
public static class PostureEncoding
{
    /// <summary>Largest encoded statement accepted (body plus a composite signature is about 4 KiB).</summary>
    public const int MaxBytes = 16 * 1024;

    public const int MaxKeys = 32;

    public const int MaxPurposeLength = 32;

    private const int BodyItems = 12;

    private const ulong MaxSeconds = 10_000_000_000UL;

    private static readonly byte[] Label = "enigm/posture/v1"u8.ToArray();

    private static readonly long MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>
    /// Encodes and signs <paramref name="statement"/>. <paramref name="sign"/> signs a message with the device's key
    /// (suite <paramref name="suiteId"/>'s device signature); it is a callback so the key can stay in a key ring.
    /// </summary>
    public static byte[] Sign(PostureStatement statement, Func<byte[], byte[]> sign, ushort suiteId = 1)
    {
        ArgumentNullException.ThrowIfNull(statement);
        if (Problem(statement) is { } problem) throw new ArgumentException(problem, nameof(statement));
        return SignedStatement.Encode(suiteId, ObjectType.PostureStatement, Label, EncodeBody(statement), sign);
    }

    /// <summary>
    /// Decodes a statement and checks its signature with <paramref name="devicePublicKey"/> (the encoded public key the
    /// account's verified device log holds for the device). A statement for another device, or whose signature fails,
    /// is <see cref="PostureForgedException"/>; bytes that do not parse are <see cref="MalformedInputException"/>.
    /// </summary>
    public static PostureStatement Verify(byte[] encoded, TrustedDevice device, SuitePolicy? policy = null, CryptoProviders? providers = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        policy ??= SuitePolicy.Default;
        providers ??= CryptoProviders.Default;
        var key = CryptoObject.Decode(device.PublicKey, ObjectType.PublicKey, policy);
        var (_, body, valid) = SignedStatement.Open(encoded, ObjectType.PostureStatement, Label, MaxBytes, policy, providers, key.Value);
        var statement = DecodeBody(body);
        if (!valid)
            throw new PostureForgedException($"The posture statement does not verify under device {device.Id}'s key (forged or edited).");
        if (statement.Device != device.Id)
            throw new PostureForgedException($"The posture statement names device {statement.Device}, but was checked against {device.Id}.");
        return statement;
    }

    /// <summary>The statement inside <paramref name="encoded"/> without checking the signature (for display and routing only).</summary>
    public static PostureStatement ReadUnverified(byte[] encoded, SuitePolicy? policy = null)
    {
        var (_, body, _) = SignedStatement.Decode(encoded, ObjectType.PostureStatement, MaxBytes, policy ?? SuitePolicy.Default);
        return DecodeBody(body);
    }

    private static byte[] EncodeBody(PostureStatement s)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(BodyItems);
        writer.WriteTextString(s.Account);
        writer.WriteTextString(s.Device);
        writer.WriteUInt64((ulong)s.IssuedAt.ToUnixTimeMilliseconds());
        writer.WriteTextString(s.ClientVersion);
        writer.WriteTextString(s.OsVersion);
        writer.WriteUInt32((uint)s.KeyProtector);
        writer.WriteStartArray(s.Keys.Count);
        foreach (var key in s.Keys)
        {
            writer.WriteStartArray(5);
            writer.WriteTextString(key.Purpose);
            writer.WriteUInt64((ulong)(long)key.Age.TotalSeconds);
            writer.WriteUInt64((ulong)(long)key.Cryptoperiod.TotalSeconds);
            writer.WriteBoolean(key.Due);
            writer.WriteBoolean(key.Overdue);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteTextString(s.InstalledRelease);
        if (s.LastOtaCheck is { } check) writer.WriteUInt64((ulong)check.ToUnixTimeMilliseconds());
        else writer.WriteNull();
        writer.WriteUInt32((uint)s.AuditLog);
        writer.WriteUInt32((uint)s.UnverifiedContacts);
        writer.WriteUInt32((uint)s.ChangedContacts);
        writer.WriteEndArray();
        return writer.Encode();
    }

    private static PostureStatement DecodeBody(byte[] body)
    {
        var statement = CanonicalCbor.Decode(body, MaxBytes, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, BodyItems);
            var account = CanonicalCbor.ReadText(reader, DeviceLogEncoding.MaxIdLength * 2);
            var device = CanonicalCbor.ReadText(reader, DeviceLogEncoding.MaxIdLength);
            var issued = Time(reader);
            var client = CanonicalCbor.ReadText(reader, VersionNumber.MaxLength);
            var os = CanonicalCbor.ReadText(reader, VersionNumber.MaxLength);
            var protector = (int)CanonicalCbor.ReadUInt(reader, byte.MaxValue);
            var count = reader.ReadStartArray() ?? throw new MalformedInputException("Posture: indefinite key list.");
            if (count > MaxKeys) throw new MalformedInputException($"Posture: at most {MaxKeys} keys, not {count}.");
            var keys = new List<KeyAgeReport>(count);
            for (var i = 0; i < count; i++)
            {
                CanonicalCbor.ReadArrayStart(reader, 5);
                var purpose = CanonicalCbor.ReadText(reader, MaxPurposeLength);
                var age = Seconds(reader);
                var period = Seconds(reader);
                var due = reader.ReadBoolean();
                var overdue = reader.ReadBoolean();
                reader.ReadEndArray();
                keys.Add(new KeyAgeReport(purpose, age, period, due, overdue));
            }

            reader.ReadEndArray();
            var release = CanonicalCbor.ReadText(reader, VersionNumber.MaxLength);
            DateTimeOffset? lastCheck = null;
            if (reader.PeekState() == CborReaderState.Null) reader.ReadNull();
            else lastCheck = Time(reader);
            var audit = (int)CanonicalCbor.ReadUInt(reader, byte.MaxValue);
            var unverified = (int)CanonicalCbor.ReadUInt(reader, int.MaxValue);
            var changed = (int)CanonicalCbor.ReadUInt(reader, int.MaxValue);
            reader.ReadEndArray();
            return new PostureStatement(account, device, issued, client, os, (KeyProtectorKind)protector, keys, release, lastCheck,
                (AuditLogCheck)audit, unverified, changed);
        });
        return Problem(statement) is { } problem ? throw new MalformedInputException($"Posture: {problem}.") : statement;
    }

    /// <summary>The writer and the reader apply the same rules, so a statement that signs is one that verifies.</summary>
    internal static string? Problem(PostureStatement s)
    {
        if (s.Account is not { Length: 64 } || !s.Account.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f')) return "account id must be 64 lowercase hex digits";
        if (!DeviceLogEncoding.IsValidId(s.Device)) return "device id is not a valid id";
        if (!VersionNumber.IsValid(s.ClientVersion)) return "client version is not a dotted numeric version";
        if (!VersionNumber.IsValid(s.OsVersion)) return "OS version is not a dotted numeric version";
        if (s.InstalledRelease.Length > 0 && !VersionNumber.IsValid(s.InstalledRelease)) return "installed release is not a dotted numeric version";
        if (!Enum.IsDefined(s.KeyProtector)) return "unknown key protector";
        if (!Enum.IsDefined(s.AuditLog)) return "unknown audit-log check result";
        if (s.Keys.Count > MaxKeys) return $"at most {MaxKeys} keys";
        foreach (var key in s.Keys)
        {
            if (key.Purpose is not { Length: > 0 and <= MaxPurposeLength } || !key.Purpose.All(IsIdChar)) return "a key purpose is not a short label";
            if (key.Age < TimeSpan.Zero || key.Cryptoperiod < TimeSpan.Zero) return "a key age or cryptoperiod is negative";
            if (key.Age.TotalSeconds > MaxSeconds || key.Cryptoperiod.TotalSeconds > MaxSeconds) return "a key age or cryptoperiod is over 300 years";
        }

        if (s.UnverifiedContacts < 0 || s.ChangedContacts < 0) return "a contact count is negative";
        if (s.IssuedAt.ToUnixTimeMilliseconds() < 0 || s.LastOtaCheck?.ToUnixTimeMilliseconds() < 0) return "a time is before 1970";
        return null;
    }

    private static bool IsIdChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';

    private static DateTimeOffset Time(CborReader reader) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)CanonicalCbor.ReadUInt(reader, (ulong)MaxUnixMilliseconds));

    /// <summary>Ages are whole seconds, at most about 300 years (a bound that keeps TimeSpan arithmetic safe).</summary>
    private static TimeSpan Seconds(CborReader reader) =>
        TimeSpan.FromSeconds(CanonicalCbor.ReadUInt(reader, MaxSeconds));
}
