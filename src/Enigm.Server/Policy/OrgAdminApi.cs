using System.Globalization;
using System.Security.Cryptography;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Keys.Audit;
using Enigm.Relay;
using Enigm.Relay.Policy;
using Enigm.Server.Hosting;
using Enigm.Server.Http;
using Enigm.Server.Storage.Policy;
using Enigm.Trust.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Enigm.Server.Policy;

/// <summary>
/// The organisation routes of the admin listener (docs/policy.md, "Relay API"), behind the admin credential. The relay
/// only records what the organisation key signed: a policy (never a lower version), and restrict, lift-restriction and
/// revoke actions, each linked to the admin audit log's head. Administration can only lower trust: no route here adds a
/// device, returns message content or changes anyone's keys (tests/Enigm.Server.Tests/Policy enumerates the routes).
/// </summary>
public static class OrgAdminApi
{
    public const int MaxKeyBytes = CryptoObject.MaxEncodedSize;

    public const int MaxPolicyRequestBytes = PolicyEncoding.MaxBytes + AdminActionEncoding.MaxBytes + 64;

    public const int MaxListedDevices = 10_000;

    public static void Map(IEndpointRouteBuilder app, RelayState state, Func<HttpContext, Func<Task>, Task> guarded)
    {
        app.MapPut(PolicyRoutes.AdminKey, context => guarded(context, () => PutKeyAsync(context, state)));
        app.MapPut(PolicyRoutes.AdminPolicy, context => guarded(context, () => PutPolicyAsync(context, state)));
        app.MapPost(PolicyRoutes.AdminActions, context => guarded(context, () => PostActionAsync(context, state)));
        app.MapGet(PolicyRoutes.AdminDevices, context => guarded(context, () => DevicesAsync(context, state)));
        app.MapGet(PolicyRoutes.AdminAudit, context => guarded(context, () => AuditViewAsync(context, state)));
        app.MapGet(PolicyRoutes.AdminAuditLog, context => guarded(context, async () => await PolicyBodies.WriteAsync(context, await PostureApi.AuditLogAsync(state, context.RequestAborted))));
        app.MapGet(PolicyRoutes.AdminAuditHead, context => guarded(context, () => HeadAsync(context, state)));
    }

    private static async Task PutKeyAsync(HttpContext context, RelayState state)
    {
        var body = await PolicyBodies.ReadAsync(context, MaxKeyBytes);
        try
        {
            OrganisationKey.FromEncoded(body);
        }
        catch (EnigmException e)
        {
            throw RelayProblemException.Malformed("not an organisation key: " + e.Message);
        }

        if (!await state.Store.Policy.SetOrganisationKeyAsync(body, context.RequestAborted))
            throw new RelayProblemException(409, PolicyProblem.OrganisationKeySet, "another organisation key is already registered; it is never replaced");
        context.Response.StatusCode = 204;
    }

    private static async Task PutPolicyAsync(HttpContext context, RelayState state)
    {
        var body = await PolicyBodies.ReadAsync(context, MaxPolicyRequestBytes);
        var (policyBytes, actionBytes) = Pair(body);
        var record = await RecordPolicyAsync(state, policyBytes, actionBytes, context.RequestAborted);
        await JsonBodies.WriteAsync(context, 200, new AdminActionResponse(record.Sequence, Convert.ToHexStringLower(record.Hash), null), PolicyJson.Default.AdminActionResponse);
    }

    private static async Task PostActionAsync(HttpContext context, RelayState state)
    {
        var body = await PolicyBodies.ReadAsync(context, AdminActionEncoding.MaxBytes);
        var (record, device) = await RecordActionAsync(state, body, context.RequestAborted);
        await JsonBodies.WriteAsync(context, 200, new AdminActionResponse(record.Sequence, Convert.ToHexStringLower(record.Hash), device), PolicyJson.Default.AdminActionResponse);
    }

    /// <summary>
    /// Records a signed policy with its set-policy action, after verifying both under the organisation key, that the
    /// version is above the current one and that the action names this policy and the audit head; typed
    /// <see cref="RelayProblemException"/>s otherwise, and nothing is stored. Shared by the admin API and the console's upload.
    /// </summary>
    public static async Task<AdminAuditRecord> RecordPolicyAsync(RelayState state, byte[] policyBytes, byte[] actionBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(state);
        var organisation = await OrganisationAsync(state, ct);
        var current = await state.Store.Policy.GetPolicyAsync(ct);
        var policy = Checked(() => PolicyEncoding.Verify(policyBytes, organisation, current?.Version));
        if (current is not null && policy.Version <= current.Version) throw new PolicyRollbackException(current.Version, policy.Version).AsProblem();
        if (policy.Version > long.MaxValue) throw RelayProblemException.Malformed("a policy version is at most 2^63-1");
        var action = Checked(() => AdminActionEncoding.Verify(actionBytes, organisation));
        if (action.Kind != AdminActionKind.SetPolicy || action.PolicyVersion != policy.Version
            || !CryptographicOperations.FixedTimeEquals(action.PolicyHash, SHA256.HashData(policyBytes)))
            throw RelayProblemException.Malformed("the action must be a set-policy action naming this policy's version and SHA-256");
        return await AppendAsync(state, action, actionBytes, null, null, new StoredPolicy(policyBytes, policy.Version), ct);
    }

    /// <summary>
    /// Records a signed restrict, lift-restriction or revoke for a device of this relay after verifying it under the
    /// organisation key and its link to the audit head; returns the entry and the device's new evaluation.
    /// </summary>
    public static async Task<(AdminAuditRecord Record, ComplianceResponse Device)> RecordActionAsync(RelayState state, byte[] signed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(state);
        var organisation = await OrganisationAsync(state, ct);
        var action = Checked(() => AdminActionEncoding.Verify(signed, organisation));
        if (action.Kind == AdminActionKind.SetPolicy) throw RelayProblemException.Malformed("a policy is set with PUT " + PolicyRoutes.AdminPolicy);
        var account = await state.Store.GetAccountAsync(action.Account, ct);
        if (account is null || account.Devices.All(d => d.Device != action.Device))
            throw new RelayProblemException(404, RelayProblem.UnknownDevice, "no such device on this relay");
        var record = await AppendAsync(state, action, signed, action.Account, action.Device, null, ct);
        return (record, await ComplianceService.EvaluateAndRecordAsync(state, action.Account, action.Device, ct));
    }

    /// <summary>Extends the chain with the action's entry (Enigm.Keys' audit format); the action must link to the current head.</summary>
    private static async Task<AdminAuditRecord> AppendAsync(RelayState state, AdminAction action, byte[] signed, string? account, string? device, StoredPolicy? policy, CancellationToken ct)
    {
        var head = await state.Store.Policy.GetAuditHeadAsync(ct);
        var entry = AuditChainLink.Next(head is null ? null : AsEntry(head), state.Now, action.EventName, action.Subject, Convert.ToHexStringLower(SHA256.HashData(signed)));
        if (!CryptographicOperations.FixedTimeEquals(entry.PreviousHash, action.PreviousAuditHash))
            throw new RelayProblemException(409, PolicyProblem.AuditHeadMoved, $"the action links to another audit head; sign it again on entry {entry.Sequence - 1} (GET {PolicyRoutes.AdminAuditHead})");
        var record = new AdminAuditRecord(entry.Sequence, entry.Time, entry.Event, entry.KeyId, entry.Detail, entry.PreviousHash, entry.Hash, signed);
        return await state.Store.Policy.AppendAsync(record, account, device, policy, ct) switch
        {
            AppendOutcome.Appended => record,
            AppendOutcome.PolicyNotNewer => throw new RelayProblemException(409, PolicyProblem.PolicyRollback, "a policy of this or a higher version was set meanwhile"),
            _ => throw new RelayProblemException(409, PolicyProblem.AuditHeadMoved, "another action was recorded meanwhile; sign again on the new head"),
        };
    }

    private static async Task DevicesAsync(HttpContext context, RelayState state)
    {
        var filter = context.Request.Query["state"] is { Count: 1 } s
            ? ComplianceDecision.Parse(s[0]) ?? throw RelayProblemException.Malformed("state must be compliant, warning, restricted or revoked-by-organisation")
            : (ComplianceState?)null;
        var devices = new SortedSet<(string Account, string Device)>();
        foreach (var row in await state.Store.Policy.ListComplianceAsync(MaxListedDevices, context.RequestAborted)) devices.Add((row.Account, row.Device));
        foreach (var account in await state.Store.ListAccountsAsync(Apis.AdminApi.MaxListedAccounts, null, context.RequestAborted))
        {
            foreach (var d in account.Devices.Where(d => !d.Revoked)) devices.Add((account.Account, d.Device));
        }

        var result = new List<ManagedDevice>();
        foreach (var (account, device) in devices.Take(MaxListedDevices))
        {
            var (decision, posture, _) = await ComplianceService.EvaluateAsync(state, account, device, context.RequestAborted);
            if (filter is { } wanted && decision.State != wanted) continue;
            result.Add(new ManagedDevice(account, device, ComplianceDecision.NameOf(decision.State), ComplianceService.Reasons(decision),
                posture?.IssuedAt, posture?.ClientVersion, posture?.OsVersion));
        }

        await JsonBodies.WriteAsync(context, 200, result.ToArray(), PolicyJson.Default.ManagedDeviceArray);
    }

    private static async Task AuditViewAsync(HttpContext context, RelayState state)
    {
        var records = AdminAuditEncoding.Decode(await PostureApi.AuditLogAsync(state, context.RequestAborted));
        var view = records.Select(r => new AuditEntryView(r.Sequence, r.Time, r.Event, r.KeyId, AdminActionEncoding.ReadUnverified(r.Action).Reason,
            Convert.ToHexStringLower(r.Hash), Convert.ToBase64String(r.Action))).ToArray();
        await JsonBodies.WriteAsync(context, 200, view, PolicyJson.Default.AuditEntryViewArray);
    }

    private static async Task HeadAsync(HttpContext context, RelayState state)
    {
        var head = await state.Store.Policy.GetAuditHeadAsync(context.RequestAborted);
        var response = new AuditHeadResponse(head?.Sequence ?? 0, Convert.ToHexStringLower(head?.Hash ?? AuditChainLink.GenesisPreviousHash()));
        await JsonBodies.WriteAsync(context, 200, response, PolicyJson.Default.AuditHeadResponse);
    }

    private static async Task<OrganisationKey> OrganisationAsync(RelayState state, CancellationToken ct)
    {
        var key = await state.Store.Policy.GetOrganisationKeyAsync(ct)
            ?? throw new RelayProblemException(409, PolicyProblem.NoOrganisation, "register the organisation key first (PUT " + PolicyRoutes.AdminKey + ")");
        return OrganisationKey.FromEncoded(key);
    }

    /// <summary>The verifiers' typed errors as problems: forged is 422, rollback 409, unparsable 400.</summary>
    private static T Checked<T>(Func<T> verify)
    {
        try
        {
            return verify();
        }
        catch (PolicyRollbackException e)
        {
            throw e.AsProblem();
        }
        catch (Exception e) when (e is PolicyNotSignedByOrganisationException or AdminActionForgedException)
        {
            throw new RelayProblemException(422, PolicyProblem.NotSignedByOrganisation, e.Message);
        }
        catch (EnigmException e)
        {
            throw RelayProblemException.Malformed(e.Message);
        }
    }

    private static RelayProblemException AsProblem(this PolicyRollbackException e) =>
        new(409, PolicyProblem.PolicyRollback, $"policy version {e.Offered.ToString(CultureInfo.InvariantCulture)} is not above the current {e.Seen.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The body of PUT policy: CBOR [signed policy, signed set-policy action].</summary>
    private static (byte[] Policy, byte[] Action) Pair(byte[] body)
    {
        try
        {
            return OrgDocuments.ReadPair(body);
        }
        catch (MalformedInputException e)
        {
            throw RelayProblemException.Malformed("the body must be CBOR [signed policy, signed action]: " + e.Message);
        }
    }

    /// <summary>Encodes the PUT policy body (used by <c>enigm org policy set</c>).</summary>
    public static byte[] PolicyRequest(byte[] policy, byte[] action)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(2);
        writer.WriteByteString(policy);
        writer.WriteByteString(action);
        writer.WriteEndArray();
        return writer.Encode();
    }

    internal static AuditEntry AsEntry(AdminAuditRecord r) => new(r.Sequence, r.Time, r.Event, r.KeyId, r.Detail, r.PreviousHash, r.Hash);
}
