using System.Text.Json;
using Enigm.Relay.Policy;
using Enigm.Server.Hosting;
using Enigm.Server.Http;
using Enigm.Trust.Policy;
using Enigm.Trust.Posture;

namespace Enigm.Server.Policy;

/// <summary>
/// The relay's side of docs/policy.md "Evaluation": a device's state from its latest signed posture, the current signed
/// policy and the organisation-signed actions naming it, through the same <see cref="ComplianceEvaluator"/> clients run.
/// Every stored object was verified when it was accepted, so it is only decoded here. Evaluated afresh whenever the relay
/// acts on the state (a submit, a listing), because time alone can change it (an update check that grows stale).
/// </summary>
public static class ComplianceService
{
    public static async Task<(ComplianceDecision Decision, PostureStatement? Posture, ulong? PolicyVersion)> EvaluateAsync(
        RelayState state, string account, string device, CancellationToken ct)
    {
        var store = state.Store.Policy;
        // No organisation key: no admin action or policy can exist, so every device is compliant (the common case).
        if (await store.GetOrganisationKeyAsync(ct) is null) return (new ComplianceDecision(ComplianceState.Compliant, []), null, null);
        var policy = await store.GetPolicyAsync(ct);
        var posture = await store.GetPostureAsync(account, device, ct);
        var actions = await store.ReadDeviceActionsAsync(account, device, ct);
        var decodedPolicy = policy is null ? null : PolicyEncoding.ReadUnverified(policy.Signed);
        var decodedPosture = posture is null ? null : PostureEncoding.ReadUnverified(posture.Signed);
        var decision = ComplianceEvaluator.Evaluate(decodedPosture, decodedPolicy, actions.Select(a => AdminActionEncoding.ReadUnverified(a)), state.Now);
        return (decision, decodedPosture, policy?.Version);
    }

    /// <summary>Evaluates, records the state for listings, and describes it for the wire.</summary>
    public static async Task<ComplianceResponse> EvaluateAndRecordAsync(RelayState state, string account, string device, CancellationToken ct)
    {
        var (decision, _, version) = await EvaluateAsync(state, account, device, ct);
        var reasons = Reasons(decision);
        await state.Store.Policy.SetComplianceAsync(account, device, decision.State, JsonSerializer.Serialize(reasons, PolicyJson.Default.ComplianceReasonBodyArray), state.Now, ct);
        return new ComplianceResponse(account, device, ComplianceDecision.NameOf(decision.State), reasons, (long?)version, state.Now);
    }

    /// <summary>
    /// The submit check (MessagesApi): a restricted device may not send (403 <c>device-restricted</c>, with the reasons)
    /// and neither may one the organisation revoked (403 <c>device-revoked-by-organisation</c>). Receiving is untouched.
    /// </summary>
    public static async Task RequireMaySendAsync(RelayState state, string account, string device, CancellationToken ct)
    {
        var (decision, _, _) = await EvaluateAsync(state, account, device, ct);
        if (decision.MaySend) return;
        var why = string.Join("; ", decision.Reasons.Where(r => r.Severity >= ComplianceState.Restricted).Select(r => r.Text));
        throw decision.State == ComplianceState.RevokedByOrganisation
            ? new RelayProblemException(403, PolicyProblem.DeviceRevokedByOrganisation, "the organisation revoked this device: " + why)
            : new RelayProblemException(403, PolicyProblem.DeviceRestricted, "the organisation restricted this device (it may receive, not send): " + why);
    }

    /// <summary>The compliance state as OTA eligibility's <c>require_trust</c> compares it (docs/policy.md, "OTA").</summary>
    public static async Task<string> TrustStateForUpdatesAsync(RelayState state, string account, string device, CancellationToken ct) =>
        ComplianceDecision.NameOf((await EvaluateAsync(state, account, device, ct)).Decision.State);

    public static ComplianceReasonBody[] Reasons(ComplianceDecision decision) =>
        [.. decision.Reasons.Select(r => new ComplianceReasonBody(r.Code, ComplianceDecision.NameOf(r.Severity), r.Text))];
}
