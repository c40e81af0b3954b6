using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Relay;
using Enigm.Server.Auth;
using Enigm.Server.Hosting;
using Enigm.Server.Http;
using Enigm.Server.Limits;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Enigm.Server.Apis;

/// <summary>
/// Challenge → token (docs/relay-api.md, "Authentication"): a device proves possession of its current composite signing
/// key, the one the account's verified device log names for it, by signing <see cref="RelayAuth.SignedMessage"/> over a
/// fresh single-use challenge. Challenges and tokens are stored by SHA-256 so every relay node shares them.
/// </summary>
public static class AuthApi
{
    public const int MaxBodyBytes = 16 * 1024;

    public static void Map(IEndpointRouteBuilder app, RelayState state)
    {
        app.MapPost(RelayRoutes.Challenge, context => ChallengeAsync(context, state));
        app.MapPost(RelayRoutes.Token, context => TokenAsync(context, state));
    }

    private static async Task ChallengeAsync(HttpContext context, RelayState state)
    {
        Throttle.ByAddress(context, state);
        var request = RequestValidation.Check(await JsonBodies.ReadAsync(context, RelayJson.Default.ChallengeRequest, MaxBodyBytes));
        await RelayAuthenticator.RequireActiveDeviceAsync(state, request.Account, request.Device, context.RequestAborted);
        var challenge = RandomNumberGenerator.GetBytes(RequestValidation.ChallengeBytes);
        var expires = state.Now + state.Options.ChallengeTtl;
        await state.Store.StoreChallengeAsync(SHA256.HashData(challenge), request.Account, request.Device, expires, context.RequestAborted);
        await JsonBodies.WriteAsync(context, 200, new ChallengeResponse(challenge, expires), RelayJson.Default.ChallengeResponse);
    }

    private static async Task TokenAsync(HttpContext context, RelayState state)
    {
        var request = RequestValidation.Check(await JsonBodies.ReadAsync(context, RelayJson.Default.TokenRequest, MaxBodyBytes));

        // The challenge is consumed first, so a failed signature cannot be retried against it.
        var owner = await state.Store.TakeChallengeAsync(SHA256.HashData(request.Challenge), state.Now, context.RequestAborted);
        if (owner is not { } o || o.Account != request.Account || o.Device != request.Device)
            throw RelayProblemException.Unauthenticated("the challenge is unknown, already used, expired or issued to another device");

        var stored = await RelayAuthenticator.RequireActiveDeviceAsync(state, request.Account, request.Device, context.RequestAborted);
        var device = state.Logs.Verify(stored.DeviceLog).Find(request.Device)
            ?? throw new RelayProblemException(403, RelayProblem.DeviceRevoked, "the device log does not trust this device");
        var key = CryptoObject.DecodePublicKey(device.PublicKey, SuitePolicy.Default, CryptoProviders.Default);
        var signed = RelayAuth.SignedMessage(state.Options.ServerId, request.Account, request.Device, request.Challenge);
        if (key.Algorithm is not SignatureAlgorithm algorithm || !CryptoProviders.Default.Signature(algorithm).Verify(key.Value, signed, request.Signature))
            throw RelayProblemException.Unauthenticated("the signature does not verify with the device's current key");

        var token = DataDirectory.Base64Url(RandomNumberGenerator.GetBytes(32));
        var expires = state.Now + state.Options.TokenTtl;
        await state.Store.StoreTokenAsync(RelayAuthenticator.Hash(token), request.Account, request.Device, expires, context.RequestAborted);
        await JsonBodies.WriteAsync(context, 200, new TokenResponse(token, expires), RelayJson.Default.TokenResponse);
    }
}
