using System.Diagnostics;
using Enigm.Client.Calls;
using Enigm.Messaging.Calls;
using Enigm.Messaging.Calls.Signals;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;
using Enigm.Relay;
using Enigm.Trust.Accounts;

namespace Enigm.Client;

// The caller's side of a call: ring every trusted device of the contacts with an offer (X-Wing ephemeral, bound to the
// transcript), admit each answer as a member (a new epoch for everyone, docs/calls.md), stream media through the
// relay's call room, apply the owner's changes while it runs (ring more contacts, remove one: the room's list follows),
// and end the call (a leave to every member, the room deleted).
public sealed partial class EnigmClient
{
    /// <summary>
    /// Calls the contacts' trusted devices and streams a generated audio-like signal for <see cref="CallOptions.Duration"/>
    /// after the first answer. Returns what the call did. Typed errors: <see cref="Errors.ContactNotFoundException"/>,
    /// Trust's <c>ContactChangedException</c> under the blocking policy, Messaging's call family (no answer in time is
    /// <c>CallSetupException</c>), the relay family.
    /// </summary>
    public Task<CallReport> StartCallAsync(IReadOnlyList<string> contacts, CallOptions? options = null, Action<CallEvent>? onEvent = null, CancellationToken cancellation = default) =>
        StartCallAsync(contacts, new CallControl(), options, onEvent, cancellation);

    /// <summary>
    /// As <see cref="StartCallAsync(IReadOnlyList{string}, CallOptions?, Action{CallEvent}?, CancellationToken)"/>, with
    /// <paramref name="control"/> to ring further contacts, remove one or end the call while it runs. The call ends at
    /// the end of its duration, on <see cref="CallControl.EndAsync"/>, or when every member has left.
    /// </summary>
    public async Task<CallReport> StartCallAsync(IReadOnlyList<string> contacts, CallControl control, CallOptions? options = null, Action<CallEvent>? onEvent = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        ArgumentNullException.ThrowIfNull(control);
        options ??= new CallOptions();
        await MaySendAsync(cancellation); // a restricted device may not start a call (docs/policy.md); rekeys of a running call are not refused
        using var host = new CallHost(_identity.Identity);
        using var call = new HostedCall(host);
        var inbox = _callInbox.Open(call.Room);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var sync = RunSyncAsync(null, null, stop.Token);
        using var media = new MediaRelayClient(_relay, _options.HttpHandler, _options.RequestTimeout);
        var roomCreated = false;
        try
        {
            var targets = await Serialised(() => CallTargetsAsync(contacts, cancellation), cancellation);
            // One device rung: a two-party call whose epoch 0 derives from the call secret (no rekey, docs/calls.md).
            foreach (var target in targets) call.Ring(target, host.Invite(target, direct: targets.Count == 1));
            await media.PutRoomAsync(call.Room, call.Allowed, cancellation);
            roomCreated = true;
            var setup = Stopwatch.StartNew();
            await SendOffersAsync(call, targets, cancellation);
            onEvent?.Invoke(new CallEvent("ringing", $"ringing {targets.Count} device(s)"));

            await using var socket = await media.ConnectAsync(call.Room, cancellation);
            var pump = new CallMediaPump(socket, () => host.Epoch is null ? null : host.Media, options, onEvent);
            var receiving = pump.ReceiveAsync(stop.Token);
            var sending = pump.SendAsync(stop.Token);
            long setupMs = -1;
            var ringDeadline = DateTime.UtcNow + options.RingTimeout;
            DateTime? endAt = null;
            var ended = false;
            while (!ended)
            {
                var wait = (endAt ?? ringDeadline) - DateTime.UtcNow;
                if (wait <= TimeSpan.Zero) break;
                using (var round = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
                {
                    await Task.WhenAny(inbox.WaitToReadAsync(round.Token).AsTask(), control.Commands.WaitToReadAsync(round.Token).AsTask(), Task.Delay(wait, round.Token));
                    await round.CancelAsync();
                }

                cancellation.ThrowIfCancellationRequested();
                while (!ended && control.Commands.TryRead(out var command))
                    ended = await ApplyCallCommandAsync(call, media, pump, command, onEvent, cancellation);
                while (inbox.TryRead(out var signal))
                {
                    await HandleHostSignalAsync(call, media, pump, signal, onEvent, cancellation);
                    if (call.Peers.Count > 0 && setupMs < 0) setupMs = setup.ElapsedMilliseconds;
                }

                if (call.Peers.Count > 0) endAt ??= DateTime.UtcNow + options.Duration;
                // Everyone who answered has left and nobody is still ringing: nothing more to say.
                if (call.Peers.Count > 0 && host.Members.Count == 0 && !call.Ringing) break;
            }

            if (call.Peers.Count == 0) throw new CallSetupException($"Nobody answered within {options.RingTimeout.TotalSeconds:0} s.");
            control.Close();
            await stop.CancelAsync();
            await Quietly(sending);
            await Quietly(receiving);
            await SendToMembersAsync(call.Room, host.End(), cancellation);
            onEvent?.Invoke(new CallEvent("ended", "call ended"));
            return new CallReport(call.Room, "caller", host.Suite.Name, call.Peers, pump.Sent, pump.Received, pump.Dropped, pump.Rejected, call.Epochs, setupMs, call.Senders(pump.ReceivedFrom()));
        }
        finally
        {
            control.Close();
            await stop.CancelAsync();
            await Quietly(sync);
            _callInbox.Close(call.Room);
            if (roomCreated) await Quietly(media.EndRoomAsync(call.Room, CancellationToken.None));
        }
    }

    /// <summary>An answer (admit: a new epoch for everyone) or a member's leave (rekey the rest, take it out of the room).</summary>
    private async Task HandleHostSignalAsync(HostedCall call, MediaRelayClient media, CallMediaPump pump, ReceivedCallSignal signal, Action<CallEvent>? onEvent, CancellationToken ct)
    {
        IReadOnlyList<OutgoingCallSignal> rekeys = [];
        try
        {
            var decoded = CallSignal.Decode(signal.Signal);
            if (decoded is CallAnswer && call.TakeOffer(signal.From) is { } invitation)
            {
                using (invitation)
                {
                    var link = invitation.Complete(signal.Signal, signal.From);
                    lock (pump.Gate) rekeys = call.Host.Admit(link);
                    call.Epochs++;
                    var index = call.Host.Members.Single(m => m.Value.Equals(signal.From)).Key;
                    var peer = new CallPeer(signal.From.Account.Hex, signal.From.DeviceId, _contacts.ByAccount(signal.From.Account.Hex)?.Name, link.Sas);
                    call.Admitted(index, peer);
                    onEvent?.Invoke(new CallEvent("answered", $"{peer.Contact ?? peer.Account[..16]} ({peer.Device}) answered as participant {index}; epoch {call.Host.Epoch}; read the SAS aloud", link.Sas));
                }
            }
            else if (decoded is CallLeave)
            {
                lock (pump.Gate) rekeys = call.Host.ApplyLeave(signal.Signal, signal.From);
                call.Epochs++;
                call.Disallow(p => p.Account == signal.From.Account.Hex && p.Device == signal.From.DeviceId);
                await media.PutRoomAsync(call.Room, call.Allowed, ct);
                onEvent?.Invoke(new CallEvent("left", $"device {signal.From.DeviceId} left; epoch {call.Host.Epoch} for the {call.Host.Members.Count} who stay"));
            }
        }
        catch (EnigmException e) when (e is not Errors.RelayException)
        {
            // A signal that does not fit the call (forged, replayed, for an offer already answered) changes nothing.
            onEvent?.Invoke(new CallEvent("refused", $"a call signal from device {signal.From.DeviceId} was refused: {e.Message}") { Code = e.Code });
            return;
        }

        await SendToMembersAsync(call.Room, rekeys, ct);
    }

    /// <summary>Applies one change the owner asked for; true when it ends the call.</summary>
    private async Task<bool> ApplyCallCommandAsync(HostedCall call, MediaRelayClient media, CallMediaPump pump, CallCommand command, Action<CallEvent>? onEvent, CancellationToken ct)
    {
        try
        {
            switch (command.Kind)
            {
                case CallCommandKind.End:
                    command.Done.TrySetResult();
                    return true;
                case CallCommandKind.Invite:
                    var targets = (await Serialised(() => CallTargetsAsync(command.Contacts, ct), ct)).Where(t => !call.IsInCallOrRinging(t)).ToList();
                    if (targets.Count == 0) throw new CallStateException("Every trusted device of those contacts is already in the call or ringing.");
                    if (call.Allowed.Count + targets.Count >= CallLimits.MaxParticipants)
                        throw new CallStateException($"A call has at most {CallLimits.MaxParticipants - 1} devices besides this one.");
                    foreach (var target in targets) call.Ring(target, call.Host.Invite(target));
                    await media.PutRoomAsync(call.Room, call.Allowed, ct);
                    await SendOffersAsync(call, targets, ct);
                    onEvent?.Invoke(new CallEvent("ringing", $"ringing {targets.Count} more device(s) of {string.Join(", ", command.Contacts)}"));
                    break;
                case CallCommandKind.Remove:
                    await RemoveFromCallAsync(call, media, pump, command.Contacts[0], onEvent, ct);
                    break;
            }

            command.Done.TrySetResult();
        }
        catch (EnigmException e)
        {
            command.Done.TrySetException(e);
        }

        return false;
    }

    /// <summary>
    /// Removes every device of a contact: one new epoch for the members who stay (docs/calls.md: the removed devices never
    /// receive its secret), then the room without them, so the relay closes their sockets (4001).
    /// </summary>
    private async Task RemoveFromCallAsync(HostedCall call, MediaRelayClient media, CallMediaPump pump, string name, Action<CallEvent>? onEvent, CancellationToken ct)
    {
        var account = RequireContact(name).Account;
        var members = call.Host.Members.Values.Where(m => m.Account.Hex == account).ToList();
        var withdrawn = call.Withdraw(account);
        if (members.Count == 0 && !withdrawn) throw new CallStateException($"{name} is not in the call.");
        IReadOnlyList<OutgoingCallSignal> rekeys = [];
        if (members.Count > 0)
        {
            lock (pump.Gate) rekeys = call.Host.Remove(members);
            call.Epochs++;
        }

        call.Disallow(p => p.Account == account);
        await media.PutRoomAsync(call.Room, call.Allowed, ct);
        await SendToMembersAsync(call.Room, rekeys, ct);
        onEvent?.Invoke(new CallEvent("removed", $"{name} removed ({members.Count} device(s)); epoch {call.Host.Epoch} for the {call.Host.Members.Count} who stay"));
    }

    private async Task SendOffersAsync(HostedCall call, IReadOnlyList<VerifiedIdentity> targets, CancellationToken ct)
    {
        foreach (var account in targets.GroupBy(t => t.Account.Hex))
            await SendCallSignalsAsync(account.First().Account, call.Room, [.. account.Select(call.OfferFor)], ct);
    }

    /// <summary>Sends each member its own message, one control message per account.</summary>
    private async Task SendToMembersAsync(string room, IReadOnlyList<OutgoingCallSignal> messages, CancellationToken ct)
    {
        foreach (var account in messages.GroupBy(r => r.Recipient.Account.Hex))
            await SendCallSignalsAsync(account.First().Recipient.Account, room, [.. account.Select(r => r.Message)], ct);
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

        if (targets.Count == 0) throw new CallSetupException("None of the contacts has a trusted device to ring.");
        if (targets.Count >= CallLimits.MaxParticipants) throw new CallStateException($"A call has at most {CallLimits.MaxParticipants - 1} devices besides this one.");
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
