using Enigm.Relay;
using Enigm.Server.Auth;
using Enigm.Server.Hosting;
using Enigm.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Enigm.Server.Apis;

/// <summary>
/// Prekey upload, counts and bundle handout (X3DH §3.2/§3.3 and PQXDH §3.3 shape: the server publishes a device's bundle
/// and hands each one-time key out at most once). The relay never parses a bundle: it cannot (no Enigm.Messaging
/// reference) and need not, since the fetching client verifies the bundle's signatures against the device log.
/// </summary>
public static class PrekeysApi
{
    /// <summary>A bundle, 2 × 200 one-time keys (KEM keys up to 4 KiB), base64, plus JSON.</summary>
    public const int MaxBodyBytes = ((RelayLimits.MaxPrekeyBundleBytes + (RelayLimits.MaxOneTimePrekeysPerUpload * (RequestValidation.MaxKemKeyBytes + RequestValidation.X25519KeyBytes))) / 3 * 4) + (64 * 1024);

    public static void Map(IEndpointRouteBuilder app, RelayState state)
    {
        app.MapPut(RelayRoutes.Prekeys, context => UploadAsync(context, state));
        app.MapGet(RelayRoutes.Prekeys, context => CountAsync(context, state));
        app.MapGet(RelayRoutes.Bundle, context => BundleAsync(context, state));
    }

    private static async Task UploadAsync(HttpContext context, RelayState state)
    {
        var caller = await RelayAuthenticator.AuthenticateAsync(context, state);
        var request = RequestValidation.Check(await JsonBodies.ReadAsync(context, RelayJson.Default.UploadPrekeysRequest, MaxBodyBytes));
        await state.Store.StorePrekeysAsync(caller.Account, caller.Device, request.Bundle, request.OneTimePrekeys, request.OneTimeKemPrekeys, context.RequestAborted);
        var counts = await state.Store.CountPrekeysAsync(caller.Account, caller.Device, context.RequestAborted);
        await JsonBodies.WriteAsync(context, 200, counts, RelayJson.Default.PrekeyCountResponse);
    }

    private static async Task CountAsync(HttpContext context, RelayState state)
    {
        var caller = await RelayAuthenticator.AuthenticateAsync(context, state);
        var counts = await state.Store.CountPrekeysAsync(caller.Account, caller.Device, context.RequestAborted);
        await JsonBodies.WriteAsync(context, 200, counts, RelayJson.Default.PrekeyCountResponse);
    }

    private static async Task BundleAsync(HttpContext context, RelayState state)
    {
        await RelayAuthenticator.AuthenticateAsync(context, state);
        var account = RequestValidation.Account(context.Request.RouteValues["account"] as string);
        var device = RequestValidation.Device(context.Request.RouteValues["device"] as string);

        // Only a current device's keys are handed out: a revoked device's bundle must not start new sessions.
        await RelayAuthenticator.RequireActiveDeviceAsync(state, account, device, context.RequestAborted);
        var bundle = await state.Store.TakeBundleAsync(account, device, context.RequestAborted)
            ?? throw new RelayProblemException(404, RelayProblem.NoBundle, "the device has not uploaded a prekey bundle");
        await JsonBodies.WriteAsync(context, 200, bundle, RelayJson.Default.BundleResponse);
    }
}
