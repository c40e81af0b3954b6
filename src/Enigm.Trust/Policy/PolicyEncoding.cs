using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Trust.Posture;

namespace Enigm.Trust.Policy;

/// <summary>
/// Signing, encoding and verification of <see cref="OrganisationPolicy"/> (docs/policy.md, "Organisation policy"). Body:
/// deterministic CBOR <c>[organisation, version, issued (unix ms), min client or null, min OS or null, [protector, …],
/// max key age (s) or null, max time since OTA check (s) or null, require contact verification]</c> in the
/// <see cref="SignedStatement"/> envelope with the label <c>"enigm/org-policy/v1"</c>.
/// </summary>
public static class PolicyEncoding
{
    public const int MaxBytes = 16 * 1024;

    private const int BodyItems = 9;

    private const ulong MaxSeconds = 10_000_000_000UL;

    private static readonly byte[] Label = "enigm/org-policy/v1"u8.ToArray();

    private static readonly long MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>Encodes and signs <paramref name="policy"/> with the organisation key (through <paramref name="sign"/>).</summary>
    public static byte[] Sign(OrganisationPolicy policy, Func<byte[], byte[]> sign, ushort suiteId = 1)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (Problem(policy) is { } problem) throw new ArgumentException(problem, nameof(policy));
        return SignedStatement.Encode(suiteId, ObjectType.OrganisationPolicy, Label, EncodeBody(policy), sign);
    }

    /// <summary>
    /// Verifies a signed policy against the pinned <paramref name="organisation"/> key and the highest version accepted
    /// before (<paramref name="acceptedVersion"/>, null if none). Order: structure (<see cref="MalformedInputException"/>),
    /// organisation id and signature (<see cref="PolicyNotSignedByOrganisationException"/>), then version
    /// (<see cref="PolicyRollbackException"/>): a rollback is only judged on a policy the organisation really signed.
    /// </summary>
    public static OrganisationPolicy Verify(byte[] encoded, OrganisationKey organisation, ulong? acceptedVersion = null, SuitePolicy? suites = null, CryptoProviders? providers = null)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        var (_, body, valid) = SignedStatement.Open(encoded, ObjectType.OrganisationPolicy, Label, MaxBytes,
            suites ?? SuitePolicy.Default, providers ?? CryptoProviders.Default, organisation.Raw);
        var policy = DecodeBody(body);
        if (policy.Organisation != organisation.Id)
            throw new PolicyNotSignedByOrganisationException($"The policy is for organisation {policy.Organisation}, not the pinned {organisation.Id}.");
        if (!valid)
            throw new PolicyNotSignedByOrganisationException($"The policy's signature does not verify under organisation {organisation.Id}'s key.");
        if (acceptedVersion is { } seen && policy.Version < seen)
            throw new PolicyRollbackException(seen, policy.Version);
        return policy;
    }

    /// <summary>The policy inside <paramref name="encoded"/> without checking its signature (for display only).</summary>
    public static OrganisationPolicy ReadUnverified(byte[] encoded, SuitePolicy? suites = null)
    {
        var (_, body, _) = SignedStatement.Decode(encoded, ObjectType.OrganisationPolicy, MaxBytes, suites ?? SuitePolicy.Default);
        return DecodeBody(body);
    }

    private static byte[] EncodeBody(OrganisationPolicy p)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(BodyItems);
        writer.WriteTextString(p.Organisation);
        writer.WriteUInt64(p.Version);
        writer.WriteUInt64((ulong)p.IssuedAt.ToUnixTimeMilliseconds());
        WriteOptionalText(writer, p.MinClientVersion);
        WriteOptionalText(writer, p.MinOsVersion);
        var protectors = p.AllowedProtectors.Distinct().Order().ToArray();
        writer.WriteStartArray(protectors.Length);
        foreach (var protector in protectors) writer.WriteUInt32((uint)protector);
        writer.WriteEndArray();
        WriteOptionalSeconds(writer, p.MaxKeyAge);
        WriteOptionalSeconds(writer, p.MaxSinceOtaCheck);
        writer.WriteBoolean(p.RequireContactVerification);
        writer.WriteEndArray();
        return writer.Encode();
    }

    private static OrganisationPolicy DecodeBody(byte[] body)
    {
        var policy = CanonicalCbor.Decode(body, MaxBytes, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, BodyItems);
            var organisation = CanonicalCbor.ReadText(reader, 64);
            var version = CanonicalCbor.ReadUInt(reader, ulong.MaxValue);
            var issued = DateTimeOffset.FromUnixTimeMilliseconds((long)CanonicalCbor.ReadUInt(reader, (ulong)MaxUnixMilliseconds));
            var minClient = ReadOptionalText(reader);
            var minOs = ReadOptionalText(reader);
            var count = reader.ReadStartArray() ?? throw new MalformedInputException("Policy: indefinite protector list.");
            if (count > 8) throw new MalformedInputException("Policy: at most 8 protectors.");
            var protectors = new List<KeyProtectorKind>(count);
            for (var i = 0; i < count; i++) protectors.Add((KeyProtectorKind)CanonicalCbor.ReadUInt(reader, byte.MaxValue));
            reader.ReadEndArray();
            var maxKeyAge = ReadOptionalSeconds(reader);
            var maxSinceOta = ReadOptionalSeconds(reader);
            var requireVerification = reader.ReadBoolean();
            reader.ReadEndArray();
            return new OrganisationPolicy(organisation, version, issued, minClient, minOs, protectors, maxKeyAge, maxSinceOta, requireVerification);
        });
        if (Problem(policy) is { } problem) throw new MalformedInputException($"Policy: {problem}.");
        // Canonical form: protectors sorted and distinct, so one policy has one encoding.
        if (!policy.AllowedProtectors.SequenceEqual(policy.AllowedProtectors.Distinct().Order()))
            throw new MalformedInputException("Policy: protectors must be sorted and distinct.");
        return policy;
    }

    internal static string? Problem(OrganisationPolicy p)
    {
        if (p.Organisation is not { Length: > 4 and <= 64 } || !p.Organisation.StartsWith("org-", StringComparison.Ordinal)
            || !p.Organisation.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            return "organisation id is not an org-… id";
        if (p.MinClientVersion is not null && !VersionNumber.IsValid(p.MinClientVersion)) return "minimum client version is not a dotted numeric version";
        if (p.MinOsVersion is not null && !VersionNumber.IsValid(p.MinOsVersion)) return "minimum OS version is not a dotted numeric version";
        if (p.AllowedProtectors.Any(k => !Enum.IsDefined(k) || k == KeyProtectorKind.Unknown)) return "unknown key protector";
        if (p.AllowedProtectors.Count > 8) return "at most 8 protectors";
        if (p.MaxKeyAge is { } age && (age <= TimeSpan.Zero || age.TotalSeconds > MaxSeconds)) return "maximum key age must be positive";
        if (p.MaxSinceOtaCheck is { } ota && (ota <= TimeSpan.Zero || ota.TotalSeconds > MaxSeconds)) return "maximum time since OTA check must be positive";
        if (p.IssuedAt.ToUnixTimeMilliseconds() < 0) return "issued before 1970";
        return null;
    }

    private static void WriteOptionalText(CborWriter writer, string? value)
    {
        if (value is null) writer.WriteNull();
        else writer.WriteTextString(value);
    }

    private static void WriteOptionalSeconds(CborWriter writer, TimeSpan? value)
    {
        if (value is { } v) writer.WriteUInt64((ulong)(long)v.TotalSeconds);
        else writer.WriteNull();
    }

    private static string? ReadOptionalText(CborReader reader)
    {
        if (reader.PeekState() != CborReaderState.Null) return CanonicalCbor.ReadText(reader, VersionNumber.MaxLength);
        reader.ReadNull();
        return null;
    }

    private static TimeSpan? ReadOptionalSeconds(CborReader reader)
    {
        if (reader.PeekState() != CborReaderState.Null) return TimeSpan.FromSeconds(CanonicalCbor.ReadUInt(reader, MaxSeconds));
        reader.ReadNull();
        return null;
    }
}
