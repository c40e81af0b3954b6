using System.Security.Cryptography;
using Enigm.Relay;
using Enigm.Server.Auth;
using Enigm.Server.Hosting;
using Enigm.Server.Http;
using Enigm.Server.Limits;
using Enigm.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Enigm.Server.Apis;

/// <summary>
/// Submitting messages (Signal-Server's shape: one request carries one ciphertext per recipient device, stored once per
/// device, acknowledged only once durable) and the delivery token that authorises sealed-sender submits (Signal's
/// unidentified access: the recipient hands the token to its contacts inside encrypted messages; the relay keeps only
/// its SHA-256 and learns nothing about the sender).
/// </summary>
public static class MessagesApi
{
    public const int MaxDeliveryTokenBodyBytes = 1024;

    public static void Map(IEndpointRouteBuilder app, RelayState state)
    {
        app.MapPost(RelayRoutes.Messages, context => SubmitAsync(context, state));
        app.MapPost(RelayRoutes.MultiRecipientMessages, context => MultiRecipientSubmit.SubmitAsync(context, state));
        app.MapPut(RelayRoutes.DeliveryToken, context => SetDeliveryTokenAsync(context, state));
    }

    private static async Task SubmitAsync(HttpContext context, RelayState state)
    {
        // Who may submit is decided before the body is read: a bearer token, else the recipient's delivery token.
        Caller? sender = null;
        var sealedSender = context.Request.Headers.ContainsKey(RelayRoutes.UnidentifiedAccessHeader);
        if (!sealedSender || RelayAuthenticator.BearerToken(context) is not null)
        {
            sender = await RelayAuthenticator.AuthenticateAsync(context, state);
            sealedSender = false;
        }

        var request = RequestValidation.Check(await JsonBodies.ReadAsync(context, RelayJson.Default.SubmitRequest, RelayLimits.MaxRequestBytes));
        if (sealedSender) await CheckDeliveryTokenAsync(context, state, request.Recipient);

        var response = await SubmitValidatedAsync(state, request, sender, context.RequestAborted);
        await JsonBodies.WriteAsync(context, 200, response, RelayJson.Default.SubmitResponse);
    }

    /// <summary>
    /// Everything a submit goes through once its request is validated (<see cref="RequestValidation.Check(SubmitRequest)"/>)
    /// and, sealed (<paramref name="sender"/> null), its delivery token checked: the recipient exists and is enabled, the
    /// messages address exactly its current devices, the organisation lets the sender send, the token bucket, then the
    /// durable enqueue (the mailbox cap: 507). The HTTP submit and the delivery WebSocket's submit frames
    /// (<see cref="StreamSubmits"/>) both call this one method, so the two transports refuse exactly the same things.
    /// </summary>
    internal static async Task<SubmitResponse> SubmitValidatedAsync(RelayState state, SubmitRequest request, Caller? sender, CancellationToken ct)
    {
        var recipient = await state.Store.GetAccountAsync(request.Recipient, ct)
            ?? throw new RelayProblemException(404, RelayProblem.UnknownAccount, "no account with this id");
        if (recipient.Disabled) throw new RelayProblemException(403, RelayProblem.AccountDisabled, "the recipient's account is disabled");
        CheckDevices(recipient, request, sender?.Account == request.Recipient ? sender.Device : null);

        // issue 14: a device the organisation restricted or revoked may not send (it still receives).
        if (sender is not null) await Policy.ComplianceService.RequireMaySendAsync(state, sender.Account, sender.Device, ct);
        if (sender is not null) Throttle.Take(state.SenderBuckets, sender.Account + "/" + sender.Device, "this device");
        else Throttle.Take(state.RecipientBuckets, request.Recipient, "sealed senders to this recipient");

        // The store tells every node (NewMessage signals) once the messages are durable.
        try
        {
            var stored = await state.Store.EnqueueAsync(request.Recipient, request.Messages, state.Now, ct);
            return new SubmitResponse(stored, state.Now);
        }
        catch (MailboxFullException)
        {
            throw RelayProblemException.MailboxFull();
        }
    }

    /// <summary>Sealed sender: the header's token must hash to the recipient's stored delivery-token hash (constant time).</summary>
    private static async Task CheckDeliveryTokenAsync(HttpContext context, RelayState state, string recipient)
    {
        var header = context.Request.Headers[RelayRoutes.UnidentifiedAccessHeader].ToString();
        byte[] token;
        try
        {
            token = header.Length is > 0 and <= 128 ? Base64UrlDecode(header) : [];
        }
        catch (FormatException)
        {
            token = [];
        }

        var matches = await DeliveryTokenMatchesAsync(state, recipient, token, context.RequestAborted);
        CryptographicOperations.ZeroMemory(token);
        if (!matches) throw RelayProblemException.Unauthenticated("the unidentified-access token is not the recipient's delivery token");
    }

    /// <summary>Whether <paramref name="token"/> is the account's delivery token: its SHA-256 equals the stored hash (constant time).</summary>
    internal static async Task<bool> DeliveryTokenMatchesAsync(RelayState state, string account, byte[] token, CancellationToken ct)
    {
        var expected = await state.Store.GetDeliveryTokenHashAsync(account, ct);
        var presented = SHA256.HashData(token);
        return expected is { Length: 32 } && CryptographicOperations.FixedTimeEquals(presented, expected) && token.Length >= RequestValidation.MinDeliveryTokenBytes;
    }

    /// <summary>
    /// The messages must address exactly the recipient's current devices, except the sending device itself when a device
    /// writes to its own account's other devices (as Signal-Server excludes it): it may be listed or left out.
    /// </summary>
    private static void CheckDevices(StoredAccount recipient, SubmitRequest request, string? sendingDevice)
    {
        if (SameDevicesFew(recipient, request, sendingDevice)) return;
        var current = recipient.Devices.Where(d => !d.Revoked).Select(d => d.Device).ToHashSet(StringComparer.Ordinal);
        var submitted = request.Messages.Select(m => m.Device).ToHashSet(StringComparer.Ordinal);
        if (sendingDevice is not null)
        {
            current.Remove(sendingDevice);
            submitted.Remove(sendingDevice);
        }

        if (current.SetEquals(submitted)) return;
        var missing = current.Except(submitted).Order(StringComparer.Ordinal).ToArray();
        var extra = submitted.Except(current).Order(StringComparer.Ordinal).ToArray();
        throw new RelayProblemException(409, RelayProblem.DevicesMismatch, "the messages do not address the recipient's current devices", new DevicesMismatch(missing, extra));
    }

    /// <summary>Most submits carry a few messages: then the sets' equality is checked by comparing names, with no set built.</summary>
    private const int FewMessages = 16;

    /// <summary>
    /// The same test as the sets' <c>SetEquals</c> in <see cref="CheckDevices"/> for at most <see cref="FewMessages"/>
    /// messages: every submitted device (but the sending one) is a current device and every current device (but the
    /// sending one) is submitted. False also when there are more messages: the sets decide then.
    /// </summary>
    private static bool SameDevicesFew(StoredAccount recipient, SubmitRequest request, string? sendingDevice)
    {
        var devices = recipient.Devices;
        var messages = request.Messages;
        if (messages.Length > FewMessages) return false;
        foreach (var message in messages)
        {
            if (message.Device == sendingDevice) continue;
            var current = false;
            for (var i = 0; i < devices.Count; i++) current |= !devices[i].Revoked && devices[i].Device == message.Device;
            if (!current) return false;
        }

        for (var i = 0; i < devices.Count; i++)
        {
            if (devices[i].Revoked || devices[i].Device == sendingDevice) continue;
            var submitted = false;
            foreach (var message in messages) submitted |= message.Device == devices[i].Device;
            if (!submitted) return false;
        }

        return true;
    }

    private static async Task SetDeliveryTokenAsync(HttpContext context, RelayState state)
    {
        var caller = await RelayAuthenticator.AuthenticateAsync(context, state);
        var request = RequestValidation.Check(await JsonBodies.ReadAsync(context, RelayJson.Default.DeliveryTokenRequest, MaxDeliveryTokenBodyBytes));
        await state.Store.SetDeliveryTokenHashAsync(caller.Account, SHA256.HashData(request.Token), context.RequestAborted);
        CryptographicOperations.ZeroMemory(request.Token);
        context.Response.StatusCode = 204;
    }

    private static byte[] Base64UrlDecode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => throw new FormatException() };
        return Convert.FromBase64String(padded);
    }
}
