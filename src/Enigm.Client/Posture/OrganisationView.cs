using Enigm.Crypto.Encoding;
using Enigm.Trust.Policy;

namespace Enigm.Client.Posture;

/// <summary>A device the verified admin audit log says the organisation revoked, with the organisation's reason.</summary>
public sealed record OrganisationRevokedDevice(string Account, string Device, string Reason);

/// <summary>
/// What this device last verified about its organisation (docs/policy.md, "The device's own check"): the admin audit
/// head it verified up to, the signed policy, the org-signed actions that decide this device's state, and every device
/// the organisation revoked. Kept as a sealed record in the device's store so a new process (every CLI command) does not
/// verify the whole log again; re-verified from the relay only when the head moves. It is written only after
/// <see cref="AdminAuditVerifier"/> and <see cref="PolicyEncoding.Verify"/> accepted what it holds, so reading it back
/// does not re-check signatures.
/// </summary>
internal sealed record OrganisationView(
    long HeadSequence,
    byte[] HeadHash,
    byte[]? SignedPolicy,
    IReadOnlyList<byte[]> OwnActions,
    IReadOnlyList<OrganisationRevokedDevice> Revoked)
{
    /// <summary>The protected record holding the view (next to PostureRecords' names, under client/org/).</summary>
    public const string Record = "client/org/view";

    /// <summary>The SHA-256 of an organisation key pinned out of band (32 bytes), before the key itself is known.</summary>
    public const string FingerprintRecord = "client/org/key-fingerprint";

    /// <summary>The audit log holds at most this many entries (AdminAuditEncoding), so at most this many revocations.</summary>
    private const int MaxRevoked = AdminAuditEncoding.MaxEntries;

    private const int MaxBytes = 64 * 1024 * 1024;

    private const int Items = 6;

    private const int Version = 1;

    private OrganisationPolicy? _policy;

    private IReadOnlyList<AdminAction>? _actions;

    private Dictionary<(string, string), OrganisationRevokedDevice>? _revokedIndex;

    public OrganisationPolicy? Policy => SignedPolicy is null ? null : _policy ??= PolicyEncoding.ReadUnverified(SignedPolicy);

    public IReadOnlyList<AdminAction> Actions => _actions ??= [.. OwnActions.Select(a => AdminActionEncoding.ReadUnverified(a))];

    public OrganisationRevokedDevice? RevokedDevice(string account, string device)
    {
        _revokedIndex ??= Revoked.GroupBy(r => (r.Account, r.Device)).ToDictionary(g => g.Key, g => g.First());
        return _revokedIndex.GetValueOrDefault((account, device));
    }

    /// <summary>
    /// Only the actions that decide the device's state (ComplianceEvaluator's rule 1): a revoke is final, otherwise the
    /// last restrict or lift-restriction wins. Keeping these instead of the device's whole history bounds the record.
    /// </summary>
    public static IReadOnlyList<byte[]> Deciding(IReadOnlyList<(AdminAction Action, byte[] Signed)> own)
    {
        var revoke = own.FirstOrDefault(a => a.Action.Kind == AdminActionKind.Revoke);
        if (revoke.Signed is not null) return [revoke.Signed];
        var last = own.LastOrDefault(a => a.Action.Kind is AdminActionKind.Restrict or AdminActionKind.LiftRestriction);
        return last.Signed is null ? [] : [last.Signed];
    }

    public byte[] Encode()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(Items);
        writer.WriteUInt32(Version);
        writer.WriteUInt64((ulong)HeadSequence);
        writer.WriteByteString(HeadHash);
        if (SignedPolicy is null) writer.WriteNull();
        else writer.WriteByteString(SignedPolicy);
        writer.WriteStartArray(OwnActions.Count);
        foreach (var action in OwnActions) writer.WriteByteString(action);
        writer.WriteEndArray();
        writer.WriteStartArray(Revoked.Count);
        foreach (var r in Revoked)
        {
            writer.WriteStartArray(3);
            writer.WriteTextString(r.Account);
            writer.WriteTextString(r.Device);
            writer.WriteTextString(r.Reason);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>Reads a view this client wrote (a sealed record: integrity comes from the store, limits still apply).</summary>
    public static OrganisationView Decode(byte[] encoded) => CanonicalCbor.Decode(encoded, MaxBytes, reader =>
    {
        CanonicalCbor.ReadArrayStart(reader, Items);
        if (CanonicalCbor.ReadUInt(reader, uint.MaxValue) != Version) throw new Crypto.Errors.MalformedInputException("Unknown organisation view version.");
        var sequence = (long)CanonicalCbor.ReadUInt(reader, long.MaxValue);
        var hash = CanonicalCbor.ReadBytes(reader, 64);
        byte[]? policy = null;
        if (reader.PeekState() == System.Formats.Cbor.CborReaderState.Null) reader.ReadNull();
        else policy = CanonicalCbor.ReadBytes(reader, PolicyEncoding.MaxBytes);
        var count = reader.ReadStartArray() is { } n and <= 2 ? n : throw new Crypto.Errors.MalformedInputException("Too many deciding actions.");
        var own = new List<byte[]>(count);
        for (var i = 0; i < count; i++) own.Add(CanonicalCbor.ReadBytes(reader, AdminActionEncoding.MaxBytes));
        reader.ReadEndArray();
        var revokedCount = reader.ReadStartArray() is { } m and <= MaxRevoked ? m : throw new Crypto.Errors.MalformedInputException("Too many revoked devices.");
        var revoked = new List<OrganisationRevokedDevice>(revokedCount);
        for (var i = 0; i < revokedCount; i++)
        {
            CanonicalCbor.ReadArrayStart(reader, 3);
            revoked.Add(new OrganisationRevokedDevice(CanonicalCbor.ReadText(reader, 128), CanonicalCbor.ReadText(reader, 128), CanonicalCbor.ReadText(reader, 1024)));
            reader.ReadEndArray();
        }

        reader.ReadEndArray();
        reader.ReadEndArray();
        return new OrganisationView(sequence, hash, policy, own, revoked);
    });
}
