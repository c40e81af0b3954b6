using System.Diagnostics;
using Enigm.Client.Calls;
using Enigm.Messaging.Calls;
using Enigm.Messaging.Calls.Signals;
using Enigm.Messaging.Prekeys;
using Enigm.Relay;
using Enigm.Trust.Accounts;
using RoomParticipant = Enigm.Relay.CallRoomParticipant;

namespace Enigm.Client;

// The caller's side of a call: ring every trusted device of the contacts with an offer (X-Wing ephemeral, bound to the
// transcript), admit each answer as a member (a new epoch for everyone, docs/calls.md), stream media through the
// relay's call room, and end the call (a leave to every member, the room deleted).
public sealed partial class EnigmClient
{
    /// <summary>
    /// Calls the contacts' trusted devices and streams a generated audio-like signal for <see cref="CallOptions.Duration"/>
    /// after the first answer. Returns what the call did. Typed errors: <see cref="Errors.ContactNotFoundException"/>,
    /// Trust's <c>ContactChangedException</c> under the blocking policy, Messaging's call family (no answer in time is
    /// <c>CallSetupException</c>), the relay family.
    /// </summary>
    public async Task<CallReport> StartCallAsync(IReadOnlyList<string> contacts, CallOptions? options = null, Action<CallEvent>? onEvent = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        options ??= new CallOptions();
        using var host = new CallHost(_identity.Identity);
        var room = Convert.ToHexStringLower(host.CallId);
        var inbox = _callInbox.Open(room);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var sync = RunSyncAsync(null, null, stop.Token);
        using var media = new MediaRelayClient(_relay, _options.HttpHandler, _options.RequestTimeout);
        var invitations = new Dictionary<string, CallInvitation>(StringComparer.Ordinal);
        var peers = new List<CallPeer>();
        var roomCreated = false;
        try
        {
            var targets = await Serialised(() => CallTargetsAsync(contacts, cancellation), cancellation);
            await media.PutRoomAsync(room, [.. targets.Select(t => new RoomParticipant(t.Account.Hex, t.DeviceId))], cancellation);
            roomCreated = true;
            var setup = Stopwatch.StartNew();
            foreach (var target in targets) invitations[Convert.ToHexStringLower(target.Binding)] = host.Invite(target);
            foreach (var account in targets.GroupBy(t => t.Account.Hex))
                await SendCallSignalsAsync(account.First().Account, room, [.. account.Select(t => invitations[Convert.ToHexStringLower(t.Binding)].Offer)], cancellation);
            onEvent?.Invoke(new CallEvent("ringing", $"ringing {targets.Count} device(s)"));

            await using var socket = await media.ConnectAsync(room, cancellation);
            var pump = new CallMediaPump(socket, () => host.Epoch is null ? null : host.Media, options, onEvent);
            var receiving = pump.ReceiveAsync(stop.Token);
            var sending = pump.SendAsync(stop.Token);
            var epochs = 0;
            long setupMs = -1;
            var ringDeadline = DateTime.UtcNow + options.RingTimeout;
            DateTime? endAt = null;
            while (true)
            {
                var deadline = endAt ?? ringDeadline;
                var wait = deadline - DateTime.UtcNow;
                if (wait <= TimeSpan.Zero) break;
                ReceivedCallSignal signal;
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                    timeout.CancelAfter(wait);
                    signal = await inbox.ReadAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    break;
                }

                IReadOnlyList<OutgoingCallSignal> rekeys = [];
                var decoded = CallSignal.Decode(signal.Signal);
                if (decoded is CallAnswer && invitations.TryGetValue(Convert.ToHexStringLower(signal.From.Binding), out var invitation))
                {
                    var link = invitation.Complete(signal.Signal, signal.From);
                    lock (pump.Gate) rekeys = host.Admit(link);
                    epochs++;
                    if (setupMs < 0) setupMs = setup.ElapsedMilliseconds;
                    endAt ??= DateTime.UtcNow + options.Duration;
                    var peer = new CallPeer(signal.From.Account.Hex, signal.From.DeviceId, _contacts.ByAccount(signal.From.Account.Hex)?.Name, link.Sas);
                    peers.Add(peer);
                    onEvent?.Invoke(new CallEvent("answered", $"{peer.Contact ?? peer.Account[..16]} ({peer.Device}) answered; read the SAS aloud", link.Sas));
                }
                else if (decoded is CallLeave)
                {
                    lock (pump.Gate) rekeys = host.ApplyLeave(signal.Signal, signal.From);
                    epochs++;
                    onEvent?.Invoke(new CallEvent("left", $"device {signal.From.DeviceId} left; new epoch {host.Epoch}"));
                }

                foreach (var rekey in rekeys.GroupBy(r => r.Recipient.Account.Hex))
                    await SendCallSignalsAsync(rekey.First().Recipient.Account, room, [.. rekey.Select(r => r.Message)], cancellation);
            }

            if (peers.Count == 0) throw new Messaging.Errors.CallSetupException($"Nobody answered within {options.RingTimeout.TotalSeconds:0} s.");
            await stop.CancelAsync();
            await Quietly(sending);
            await Quietly(receiving);
            foreach (var leave in host.End().GroupBy(l => l.Recipient.Account.Hex))
                await SendCallSignalsAsync(leave.First().Recipient.Account, room, [.. leave.Select(l => l.Message)], cancellation);
            onEvent?.Invoke(new CallEvent("ended", "call ended"));
            return new CallReport(room, "caller", host.Suite.Name, peers, pump.Sent, pump.Received, pump.Dropped, pump.Rejected, epochs, setupMs);
        }
        finally
        {
            await stop.CancelAsync();
            await Quietly(sync);
            _callInbox.Close(room);
            foreach (var invitation in invitations.Values) invitation.Dispose();
            if (roomCreated) await Quietly(media.EndRoomAsync(room, CancellationToken.None));
        }
    }

    /// <summary>Every trusted, unrevoked device of the contacts (the trust policy applied), with its verified identity.</summary>
    private async Task<List<VerifiedIdentity>> CallTargetsAsync(IReadOnlyList<string> contacts, CancellationToken ct)
    {
        var targets = new List<VerifiedIdentity>();
        foreach (var name in contacts)
        {
            var contact = RequireContact(name);
            _trust.CheckSend(contact.Name);
            var account = AccountFingerprint.FromHex(contact.Account);
            var log = await PinnedLogAsync(account, ct);
            foreach (var device in ControlTargets(log, isOwn: false)) targets.Add(await DeviceIdentityAsync(account, device.DeviceId, ct));
        }

        if (targets.Count == 0) throw new Messaging.Errors.CallSetupException("None of the contacts has a trusted device to ring.");
        if (targets.Count >= CallLimits.MaxParticipants) throw new Messaging.Errors.CallStateException($"A call has at most {CallLimits.MaxParticipants - 1} devices besides this one.");
        return targets;
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is OperationCanceledException or EnigmException)
        {
            // Ending: a cancelled loop or a relay already gone changes nothing of the report.
        }
    }
}
