using Enigm.Relay;
using Enigm.Trust.DeviceLog;

namespace Enigm.Server.Http;

/// <summary>
/// Field checks for every request body, run right after parsing and before any storage call: nulls (JSON may omit any
/// member), identifiers, lengths and counts against <see cref="RelayLimits"/>. Each refusal is a
/// <see cref="RelayProblemException"/> (400 <c>malformed-request</c> or 413 <c>too-large</c>). Pure, so the fuzz targets
/// run parse + validate exactly as the endpoints do.
/// </summary>
public static class RequestValidation
{
    public const int ChallengeBytes = 32;
    public const int MessageIdBytes = 16;
    public const int MinDeliveryTokenBytes = 16;
    public const int MaxDeliveryTokenBytes = 64;
    public const int X25519KeyBytes = 32;
    public const int MaxKemKeyBytes = 4096;
    public const int MaxSignatureBytes = 8192;
    public const int MaxRendezvousChannelLength = 128;

    /// <summary>An account name: 64 lowercase hex digits (the fingerprint).</summary>
    public static string Account(string? account, string field = "account") =>
        account is { Length: 64 } && account.All(IsLowerHex)
            ? account
            : throw RelayProblemException.Malformed($"{field} must be 64 lowercase hexadecimal digits");

    public static string Device(string? device, string field = "device") =>
        DeviceLogEncoding.IsValidId(device) ? device! : throw RelayProblemException.Malformed($"{field} must be 1-64 characters of A-Z a-z 0-9 . _ -");

    public static ChallengeRequest Check(ChallengeRequest request)
    {
        Account(request.Account);
        Device(request.Device);
        return request;
    }

    public static TokenRequest Check(TokenRequest request)
    {
        Account(request.Account);
        Device(request.Device);
        if (request.Challenge is not { Length: ChallengeBytes }) throw RelayProblemException.Malformed($"challenge must be {ChallengeBytes} bytes");
        if (request.Signature is not { Length: > 0 and <= MaxSignatureBytes }) throw RelayProblemException.Malformed($"signature must be 1-{MaxSignatureBytes} bytes");
        return request;
    }

    public static byte[] DeviceLog(byte[]? log)
    {
        if (log is null or { Length: 0 }) throw RelayProblemException.Malformed("deviceLog is missing");
        if (log.Length > RelayLimits.MaxDeviceLogBytes) throw RelayProblemException.TooLarge($"a device log is at most {RelayLimits.MaxDeviceLogBytes} bytes");
        return log;
    }

    public static UploadPrekeysRequest Check(UploadPrekeysRequest request)
    {
        if (request.Bundle is null or { Length: 0 }) throw RelayProblemException.Malformed("bundle is missing");
        if (request.Bundle.Length > RelayLimits.MaxPrekeyBundleBytes) throw RelayProblemException.TooLarge($"a prekey bundle is at most {RelayLimits.MaxPrekeyBundleBytes} bytes");
        CheckKeys(request.OneTimePrekeys, "oneTimePrekeys", X25519KeyBytes, X25519KeyBytes);
        CheckKeys(request.OneTimeKemPrekeys, "oneTimeKemPrekeys", 1, MaxKemKeyBytes);
        return request;
    }

    public static SubmitRequest Check(SubmitRequest request)
    {
        Account(request.Recipient, "recipient");
        if (request.Messages is null or { Length: 0 }) throw RelayProblemException.Malformed("messages is empty");
        if (request.Messages.Length > RelayLimits.MaxDevicesPerSubmit)
            throw RelayProblemException.TooLarge($"a submit holds at most {RelayLimits.MaxDevicesPerSubmit} messages");
        var devices = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in request.Messages)
        {
            if (message is null) throw RelayProblemException.Malformed("a message is null");
            if (!devices.Add(Device(message.Device, "messages[].device"))) throw RelayProblemException.Malformed("a device appears twice in messages");
            if (message.MessageId is not { Length: MessageIdBytes }) throw RelayProblemException.Malformed($"messageId must be {MessageIdBytes} bytes");
            if (message.Body is null or { Length: 0 }) throw RelayProblemException.Malformed("a message body is empty");
            if (message.Body.Length > RelayLimits.MaxMessageBytes)
                throw RelayProblemException.TooLarge($"a message body is at most {RelayLimits.MaxMessageBytes} bytes");
        }

        return request;
    }

    /// <summary>
    /// A multi-recipient submit: one shared body (1 byte to <see cref="RelayLimits.MaxMessageBytes"/>), 1 to
    /// <see cref="RelayLimits.MaxRecipientsPerMultiSubmit"/> distinct (account, device) pairs with parts of at most
    /// <see cref="RelayLimits.MaxRecipientPartBytes"/>, and, when present, one valid-length delivery token per
    /// recipient account (no token for an account not listed).
    /// </summary>
    public static MultiRecipientSubmitRequest Check(MultiRecipientSubmitRequest request)
    {
        if (request.MessageId is not { Length: MessageIdBytes }) throw RelayProblemException.Malformed($"messageId must be {MessageIdBytes} bytes");
        if (request.Shared is null or { Length: 0 }) throw RelayProblemException.Malformed("shared is empty");
        if (request.Shared.Length > RelayLimits.MaxMessageBytes) throw RelayProblemException.TooLarge($"shared is at most {RelayLimits.MaxMessageBytes} bytes");
        if (request.Recipients is null or { Length: 0 }) throw RelayProblemException.Malformed("recipients is empty");
        if (request.Recipients.Length > RelayLimits.MaxRecipientsPerMultiSubmit)
            throw RelayProblemException.TooLarge($"a multi-recipient submit lists at most {RelayLimits.MaxRecipientsPerMultiSubmit} devices");
        var devices = new HashSet<(string, string)>();
        foreach (var recipient in request.Recipients)
        {
            if (recipient is null) throw RelayProblemException.Malformed("a recipient is null");
            var pair = (Account(recipient.Account, "recipients[].account"), Device(recipient.Device, "recipients[].device"));
            if (!devices.Add(pair)) throw RelayProblemException.Malformed("a device appears twice in recipients");
            if (recipient.Part is { Length: > RelayLimits.MaxRecipientPartBytes })
                throw RelayProblemException.TooLarge($"a per-device part is at most {RelayLimits.MaxRecipientPartBytes} bytes");
        }

        if (request.Access is null) return request;
        var accounts = devices.Select(d => d.Item1).ToHashSet(StringComparer.Ordinal);
        var granted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var access in request.Access)
        {
            if (access is null) throw RelayProblemException.Malformed("an access entry is null");
            if (!granted.Add(Account(access.Account, "access[].account"))) throw RelayProblemException.Malformed("an account appears twice in access");
            if (!accounts.Contains(access.Account)) throw RelayProblemException.Malformed("access names an account no recipient belongs to");
            if (access.Token is not { Length: >= MinDeliveryTokenBytes and <= MaxDeliveryTokenBytes })
                throw RelayProblemException.Malformed($"a delivery token is {MinDeliveryTokenBytes}-{MaxDeliveryTokenBytes} bytes");
        }

        return request;
    }

    public static AckRequest Check(AckRequest request)
    {
        if (request.Seqs is null or { Length: 0 }) throw RelayProblemException.Malformed("seqs is empty");
        if (request.Seqs.Length > RelayLimits.MaxMailboxFetch) throw RelayProblemException.TooLarge($"an ack names at most {RelayLimits.MaxMailboxFetch} messages");
        if (request.Seqs.Any(s => s <= 0)) throw RelayProblemException.Malformed("a seq is positive");
        return request;
    }

    public static DeliveryTokenRequest Check(DeliveryTokenRequest request) =>
        request.Token is { Length: >= MinDeliveryTokenBytes and <= MaxDeliveryTokenBytes }
            ? request
            : throw RelayProblemException.Malformed($"a delivery token is {MinDeliveryTokenBytes}-{MaxDeliveryTokenBytes} bytes");

    public static RendezvousPost Check(RendezvousPost request)
    {
        if (request.Payload is null or { Length: 0 }) throw RelayProblemException.Malformed("payload is missing");
        if (request.Payload.Length > RelayLimits.MaxRendezvousPayloadBytes)
            throw RelayProblemException.TooLarge($"a rendezvous payload is at most {RelayLimits.MaxRendezvousPayloadBytes} bytes");
        return request;
    }

    /// <summary>A rendezvous channel: 16-128 characters of base64url (a hash of the link code's secret).</summary>
    public static string Channel(string? channel) =>
        channel is { Length: >= 16 and <= MaxRendezvousChannelLength } && channel.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? channel
            : throw RelayProblemException.Malformed("a rendezvous channel is 16-128 characters of A-Z a-z 0-9 - _");

    /// <summary>An attachment id: 32 lowercase hex characters.</summary>
    public static string AttachmentId(string? id) =>
        id is { Length: 32 } && id.All(IsLowerHex)
            ? id
            : throw RelayProblemException.Malformed("an attachment id is 32 lowercase hexadecimal characters");

    private static bool IsLowerHex(char c) => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f';

    private static void CheckKeys(OneTimePrekey[]? keys, string field, int minBytes, int maxBytes)
    {
        if (keys is null) throw RelayProblemException.Malformed($"{field} is missing");
        if (keys.Length > RelayLimits.MaxOneTimePrekeysPerUpload)
            throw RelayProblemException.TooLarge($"{field} holds at most {RelayLimits.MaxOneTimePrekeysPerUpload} keys");
        var ids = new HashSet<uint>();
        foreach (var key in keys)
        {
            if (key is null) throw RelayProblemException.Malformed($"a key in {field} is null");
            if (!ids.Add(key.Id)) throw RelayProblemException.Malformed($"an id appears twice in {field}");
            if (key.Key is null || key.Key.Length < minBytes || key.Key.Length > maxBytes)
                throw RelayProblemException.Malformed($"a key in {field} is {minBytes}-{maxBytes} bytes");
        }
    }
}
