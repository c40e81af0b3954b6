using Enigm.Crypto.Errors;
using Enigm.Relay;
using Enigm.Relay.Policy;
using Enigm.Server.Auth;
using Enigm.Server.Hosting;
using Enigm.Server.Http;
using Enigm.Trust.Policy;
using Enigm.Trust.Posture;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Enigm.Server.Policy;

/// <summary>
/// The device-facing policy routes (docs/policy.md, "Relay API"): a device uploads its signed posture and reads its
/// compliance; any authenticated device fetches the organisation key, the signed policy and the admin audit log, which
/// it verifies itself. Only the device's own posture is accepted: it must verify under the key the account's device
/// log holds for the calling device.
/// </summary>
public static class PostureApi
{
    /// <summary>A posture statement may be dated at most this far ahead of the relay's clock.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public const int MaxAuditPage = 10_000;

    public static void Map(IEndpointRouteBuilder app, RelayState state)
    {
        app.MapPut(PolicyRoutes.Posture, context => PutPostureAsync(context, state));
        app.MapGet(PolicyRoutes.Compliance, context => ComplianceAsync(context, state));
        app.MapGet(PolicyRoutes.OrganisationKey, context => KeyAsync(context, state));
        app.MapGet(PolicyRoutes.OrganisationPolicy, context => PolicyAsync(context, state));
        app.MapGet(PolicyRoutes.OrganisationAudit, context => AuditAsync(context, state));
        app.MapGet(PolicyRoutes.OrganisationAuditHead, context => AuditHeadAsync(context, state));
    }

    private static async Task PutPostureAsync(HttpContext context, RelayState state)
    {
        var caller = await RelayAuthenticator.AuthenticateAsync(context, state);
        var body = await PolicyBodies.ReadAsync(context, PostureEncoding.MaxBytes);
        var device = state.Logs.Verify(caller.Stored.DeviceLog).Find(caller.Device)
            ?? throw new RelayProblemException(403, RelayProblem.DeviceRevoked, "the account's device log does not trust this device");
        PostureStatement posture;
        try
        {
            posture = PostureEncoding.Verify(body, device);
        }
        catch (PostureForgedException e)
        {
            throw new RelayProblemException(422, PolicyProblem.PostureForged, e.Message);
        }
        catch (EnigmException e)
        {
            // Malformed bytes, an unknown or refused suite.
            throw RelayProblemException.Malformed("the posture statement is not valid: " + e.Message);
        }

        if (posture.Account != caller.Account)
            throw new RelayProblemException(422, PolicyProblem.PostureForged, "the posture statement names another account");
        if (posture.IssuedAt > state.Now + MaxClockSkew)
            throw RelayProblemException.Malformed("the posture statement is dated in the future");
        if (!await state.Store.Policy.PutPostureAsync(caller.Account, caller.Device, body, posture.IssuedAt, state.Now, context.RequestAborted))
            throw new RelayProblemException(409, PolicyProblem.PostureStale, "a posture statement issued at the same time or later is already stored");
        var response = await ComplianceService.EvaluateAndRecordAsync(state, caller.Account, caller.Device, context.RequestAborted);
        await JsonBodies.WriteAsync(context, 200, response, PolicyJson.Default.ComplianceResponse);
    }

    private static async Task ComplianceAsync(HttpContext context, RelayState state)
    {
        var caller = await RelayAuthenticator.AuthenticateAsync(context, state);
        var response = await ComplianceService.EvaluateAndRecordAsync(state, caller.Account, caller.Device, context.RequestAborted);
        await JsonBodies.WriteAsync(context, 200, response, PolicyJson.Default.ComplianceResponse);
    }

    private static async Task KeyAsync(HttpContext context, RelayState state)
    {
        await RelayAuthenticator.AuthenticateAsync(context, state);
        var key = await state.Store.Policy.GetOrganisationKeyAsync(context.RequestAborted)
            ?? throw new RelayProblemException(404, PolicyProblem.NoOrganisation, "this relay has no organisation key");
        await PolicyBodies.WriteAsync(context, key);
    }

    private static async Task PolicyAsync(HttpContext context, RelayState state)
    {
        await RelayAuthenticator.AuthenticateAsync(context, state);
        var policy = await state.Store.Policy.GetPolicyAsync(context.RequestAborted)
            ?? throw new RelayProblemException(404, PolicyProblem.NoPolicy, "the organisation has set no policy");
        await PolicyBodies.WriteAsync(context, policy.Signed);
    }

    private static async Task AuditAsync(HttpContext context, RelayState state)
    {
        await RelayAuthenticator.AuthenticateAsync(context, state);
        await PolicyBodies.WriteAsync(context, await AuditLogAsync(state, context.RequestAborted));
    }

    /// <summary>The head only (a few dozen bytes): what a device checks before each send to know whether its verified view is current.</summary>
    private static async Task AuditHeadAsync(HttpContext context, RelayState state)
    {
        await RelayAuthenticator.AuthenticateAsync(context, state);
        if (await state.Store.Policy.GetOrganisationKeyAsync(context.RequestAborted) is null)
            throw new RelayProblemException(404, PolicyProblem.NoOrganisation, "this relay has no organisation key");
        var head = await state.Store.Policy.GetAuditHeadAsync(context.RequestAborted);
        var response = new AuditHeadResponse(head?.Sequence ?? 0, Convert.ToHexStringLower(head?.Hash ?? Keys.Audit.AuditChainLink.GenesisPreviousHash()));
        await JsonBodies.WriteAsync(context, 200, response, PolicyJson.Default.AuditHeadResponse);
    }

    /// <summary>The whole admin audit log, encoded (it only grows by admin actions: small).</summary>
    internal static async Task<byte[]> AuditLogAsync(RelayState state, CancellationToken ct)
    {
        var records = new List<AdminAuditRecord>();
        long after = 0;
        while (records.Count < AdminAuditEncoding.MaxEntries)
        {
            var page = await state.Store.Policy.ReadAuditAsync(after, MaxAuditPage, ct);
            records.AddRange(page);
            if (page.Count < MaxAuditPage) break;
            after = page[^1].Sequence;
        }

        return AdminAuditEncoding.Encode(records);
    }
}
