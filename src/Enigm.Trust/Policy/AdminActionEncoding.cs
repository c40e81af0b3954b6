using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Posture;

namespace Enigm.Trust.Policy;

/// <summary>
/// Signing, encoding and verification of <see cref="AdminAction"/> (docs/policy.md, "Admin actions"). Body: deterministic
/// CBOR <c>[organisation, kind, account, device, reason, issued (unix ms), policy version, policy hash, previous audit
/// hash]</c> in the <see cref="SignedStatement"/> envelope with the label <c>"enigm/admin-action/v1"</c>.
/// </summary>
public static class AdminActionEncoding
{
    public const int MaxBytes = 16 * 1024;

    public const int MaxReasonBytes = 512;

    public const int HashSize = 32;

    private const int BodyItems = 9;

    private static readonly byte[] Label = "enigm/admin-action/v1"u8.ToArray();

    private static readonly long MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public static byte[] Sign(AdminAction action, Func<byte[], byte[]> sign, ushort suiteId = 1)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (Problem(action) is { } problem) throw new ArgumentException(problem, nameof(action));
        return SignedStatement.Encode(suiteId, ObjectType.AdminAction, Label, EncodeBody(action), sign);
    }

    /// <summary>
    /// Verifies an action against the pinned organisation key: another organisation's id or a failing signature is
    /// <see cref="AdminActionForgedException"/>; bytes that do not parse are <see cref="MalformedInputException"/>.
    /// </summary>
    public static AdminAction Verify(byte[] encoded, OrganisationKey organisation, SuitePolicy? suites = null, CryptoProviders? providers = null)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        var (_, body, valid) = SignedStatement.Open(encoded, ObjectType.AdminAction, Label, MaxBytes,
            suites ?? SuitePolicy.Default, providers ?? CryptoProviders.Default, organisation.Raw);
        var action = DecodeBody(body);
        if (action.Organisation != organisation.Id)
            throw new AdminActionForgedException($"The admin action is for organisation {action.Organisation}, not the pinned {organisation.Id}.");
        if (!valid)
            throw new AdminActionForgedException($"The admin action's signature does not verify under organisation {organisation.Id}'s key.");
        return action;
    }

    /// <summary>The action inside <paramref name="encoded"/> without checking its signature (for display only).</summary>
    public static AdminAction ReadUnverified(byte[] encoded, SuitePolicy? suites = null)
    {
        var (_, body, _) = SignedStatement.Decode(encoded, ObjectType.AdminAction, MaxBytes, suites ?? SuitePolicy.Default);
        return DecodeBody(body);
    }

    private static byte[] EncodeBody(AdminAction a)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(BodyItems);
        writer.WriteTextString(a.Organisation);
        writer.WriteUInt32((uint)a.Kind);
        writer.WriteTextString(a.Account);
        writer.WriteTextString(a.Device);
        writer.WriteTextString(a.Reason);
        writer.WriteUInt64((ulong)a.IssuedAt.ToUnixTimeMilliseconds());
        writer.WriteUInt64(a.PolicyVersion);
        writer.WriteByteString(a.PolicyHash);
        writer.WriteByteString(a.PreviousAuditHash);
        writer.WriteEndArray();
        return writer.Encode();
    }

    private static AdminAction DecodeBody(byte[] body)
    {
        var action = CanonicalCbor.Decode(body, MaxBytes, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, BodyItems);
            var organisation = CanonicalCbor.ReadText(reader, 64);
            var kind = (AdminActionKind)CanonicalCbor.ReadUInt(reader, byte.MaxValue);
            var account = CanonicalCbor.ReadText(reader, 128);
            var device = CanonicalCbor.ReadText(reader, DeviceLogEncoding.MaxIdLength);
            var reason = CanonicalCbor.ReadText(reader, MaxReasonBytes);
            var issued = DateTimeOffset.FromUnixTimeMilliseconds((long)CanonicalCbor.ReadUInt(reader, (ulong)MaxUnixMilliseconds));
            var version = CanonicalCbor.ReadUInt(reader, ulong.MaxValue);
            var policyHash = CanonicalCbor.ReadBytes(reader, HashSize);
            var previous = CanonicalCbor.ReadBytes(reader, HashSize);
            reader.ReadEndArray();
            return new AdminAction(organisation, kind, account, device, reason, issued, version, policyHash, previous);
        });
        return Problem(action) is { } problem ? throw new MalformedInputException($"Admin action: {problem}.") : action;
    }

    internal static string? Problem(AdminAction a)
    {
        if (a.Organisation is not { Length: > 4 and <= 64 } || !a.Organisation.StartsWith("org-", StringComparison.Ordinal)) return "organisation id is not an org-… id";
        if (!Enum.IsDefined(a.Kind)) return "unknown action kind";
        if (a.PreviousAuditHash.Length != HashSize) return $"previous audit hash must be {HashSize} bytes";
        if (a.Reason.Any(char.IsControl) || System.Text.Encoding.UTF8.GetByteCount(a.Reason) > MaxReasonBytes) return $"reason must be at most {MaxReasonBytes} bytes of text without control characters";
        if (a.IssuedAt.ToUnixTimeMilliseconds() < 0) return "issued before 1970";
        if (a.Kind == AdminActionKind.SetPolicy)
        {
            if (a.Account.Length != 0 || a.Device.Length != 0) return "a policy change names no device";
            if (a.PolicyHash.Length != HashSize) return $"a policy change carries the {HashSize}-byte policy hash";
            return null;
        }

        if (a.Account is not { Length: 64 } || !a.Account.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f')) return "account must be 64 lowercase hex digits";
        if (!DeviceLogEncoding.IsValidId(a.Device)) return "device id is not a valid id";
        if (a.PolicyHash.Length != 0 || a.PolicyVersion != 0) return "a device action carries no policy";
        return null;
    }
}
