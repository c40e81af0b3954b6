using Enigm.Client.Calls;
using Enigm.Client.Groups;
using Enigm.Crypto.Encoding;
using Enigm.Messaging.Calls.Signals;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.Sessions;
using Enigm.Trust.Accounts;

namespace Enigm.Client;

// Call signalling over the pairwise sessions (docs/client.md "Calls"): offers, answers, rekeys and leaves travel as
// control messages carrying the call's relay room and the sender's identity certificate; a received signal is checked
// (the certificate against the sender's verified device log, and against the session's peer) and queued for its call.
public sealed partial class EnigmClient
{
    private readonly CallInbox _callInbox = new();

    private async Task<ClientNotice?> AcceptCallSignalAsync(ControlContent control, SessionAddress from, CancellationToken ct)
    {
        if (control.Room is null || control.IdentityCertificate is null)
            throw new CallSetupException("A call signal came without its room or the sender's identity certificate.");
        var log = await PinnedLogAsync(from.Account, ct);
        var identity = IdentityCertificate.Verify(control.IdentityCertificate, log);
        if (!identity.Account.Equals(from.Account) || identity.DeviceId != from.DeviceId)
            throw new CallSetupException("The identity certificate in the call signal is not the sending device's.");
        var missed = false;
        foreach (var bytes in DecodeSignals(control.Body))
        {
            var signal = CallSignal.Decode(bytes);
            // Offers go to every device of an account in one message; each device takes the one addressed to it.
            if (signal is CallOffer offer && !offer.CalleeBinding.AsSpan().SequenceEqual(_identity.Identity.Binding)) continue;
            if (!_callInbox.Deliver(new ReceivedCallSignal(control.Room, bytes, identity), signal is CallOffer) && signal is CallOffer) missed = true;
        }

        var who = _contacts.ByAccount(from.Account.Hex)?.Name ?? from.Account.Hex[..16];
        return missed ? new ClientNotice(ClientNoticeKind.CallSignal, $"Missed call from {who} (device {from.DeviceId}).") : null;
    }

    /// <summary>Sends call signals to every device of <paramref name="account"/> in one control message (serialised with the client's other state changes).</summary>
    private Task SendCallSignalsAsync(AccountFingerprint account, string room, IReadOnlyList<byte[]> signals, CancellationToken ct) =>
        Serialised(async () =>
        {
            await SendControlAsync([account], ControlKind.CallSignal, EncodeSignals(signals), room, ct);
            return 0;
        }, ct);

    /// <summary>A device's verified messaging identity, from its bundle (kept for the session setup that follows, so no one-time key is wasted).</summary>
    private async Task<VerifiedIdentity> DeviceIdentityAsync(AccountFingerprint account, string deviceId, CancellationToken ct)
    {
        var log = await PinnedLogAsync(account, ct);
        var bundle = await FetchBundleAsync(account.Hex, deviceId, ct);
        var identity = PrekeyBundleVerifier.Verify(bundle, log).Identity;
        var address = new SessionAddress(account, deviceId);
        if (!_cipher.HasSession(address)) _fetchedBundles.TryAdd(address.StoreKey, bundle);
        return identity;
    }

    private static byte[] EncodeSignals(IReadOnlyList<byte[]> signals)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(signals.Count);
        foreach (var signal in signals) writer.WriteByteString(signal);
        writer.WriteEndArray();
        return writer.Encode();
    }

    private static List<byte[]> DecodeSignals(byte[] body) =>
        CanonicalCbor.Decode(body, ControlContent.MaxBodyBytes, reader =>
        {
            var count = reader.ReadStartArray() ?? throw new Crypto.Errors.MalformedInputException("Call signals are a definite-length array.");
            if (count is < 1 or > 64) throw new Crypto.Errors.MalformedInputException("A control message holds 1 to 64 call signals.");
            var signals = new List<byte[]>(count);
            for (var i = 0; i < count; i++) signals.Add(CanonicalCbor.ReadBytes(reader, CallSignal.MaxEncodedSize));
            reader.ReadEndArray();
            return signals;
        });
}
