using System.Diagnostics;
using Enigm.Client.Calls;
using Enigm.Messaging.Calls;
using Enigm.Messaging.Calls.Signals;
using Enigm.Messaging.Errors;
using Enigm.Relay;
using MemberSide = Enigm.Messaging.Calls.CallParticipant;

namespace Enigm.Client;

// The callee's side: wait for an offer from a trusted device of a contact (or of this account), answer it (X-Wing
// encapsulation to the offer's ephemeral key; both sides derive the SAS from the transcript), join the relay room, apply
// the caller's rekeys, stream media, and leave.
public sealed partial class EnigmClient
{
    /// <summary>
    /// Waits up to <see cref="CallOptions.RingTimeout"/> for a call, answers it and streams for
    /// <see cref="CallOptions.Duration"/> (or until the caller ends it). Only a trusted, unrevoked device of a contact the
    /// trust policy allows (or of this account) rings; anything else is refused. No offer in time is
    /// <c>CallSetupException</c>.
    /// </summary>
    public async Task<CallReport> AnswerCallAsync(CallOptions? options = null, Action<CallEvent>? onEvent = null, CancellationToken cancellation = default)
    {
        options ??= new CallOptions();
        await MaySendAsync(cancellation); // answering sends media: a restricted device may not (docs/policy.md)
        var ringing = _callInbox.Listen();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var sync = RunSyncAsync(null, null, stop.Token);
        using var media = new MediaRelayClient(_relay, _options.HttpHandler, _options.RequestTimeout);
        MemberSide? member = null;
        string? room = null;
        try
        {
            var offer = await WaitForOfferAsync(ringing, options.RingTimeout, cancellation);
            var setup = Stopwatch.StartNew();
            room = offer.Room;
            var inbox = _callInbox.Open(room);
            _callInbox.StopListening();
            var incoming = IncomingCall.Receive(offer.Signal, _identity.Identity, offer.From, [offer.From]);
            (member, var answer) = incoming.Accept();
            await SendCallSignalsAsync(offer.From.Account, room, [answer], cancellation);
            var caller = new CallPeer(offer.From.Account.Hex, offer.From.DeviceId, _contacts.ByAccount(offer.From.Account.Hex)?.Name, member.Sas);
            onEvent?.Invoke(new CallEvent("answered", $"answered {caller.Contact ?? caller.Account[..16]} ({caller.Device}); read the SAS aloud", member.Sas));

            await using var socket = await media.ConnectAsync(room, cancellation);
            var current = member;
            var pump = new CallMediaPump(socket, () => current.Ended || current.Index is null ? null : current.Media, options, onEvent);
            var receiving = pump.ReceiveAsync(stop.Token);
            var sending = pump.SendAsync(stop.Token);
            var epochs = 0;
            long setupMs = -1;
            var endAt = DateTime.UtcNow + options.RingTimeout + options.Duration;
            if (member.Index is not null)
            {
                // A two-party call: epoch 0 came from the call secret with the answer.
                (epochs, setupMs, endAt) = (1, setup.ElapsedMilliseconds, DateTime.UtcNow + options.Duration);
                onEvent?.Invoke(new CallEvent("keyed", $"epoch 0 from the call secret; this device is participant {member.Index}"));
            }

            while (!member.Ended)
            {
                var wait = endAt - DateTime.UtcNow;
                if (wait <= TimeSpan.Zero) break;
                using (var round = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
                {
                    await Task.WhenAny(inbox.WaitToReadAsync(round.Token).AsTask(), receiving, Task.Delay(wait, round.Token));
                    await round.CancelAsync();
                }

                cancellation.ThrowIfCancellationRequested();
                if (receiving.IsCompleted)
                {
                    // The relay closed this device's media socket: the owner removed it (4001) or ended the call (1000).
                    var removed = pump.ClosedWith == CallCloseCodes.Removed;
                    onEvent?.Invoke(new CallEvent(removed ? "removed" : "ended", removed ? "the caller removed this device from the call" : "the relay closed the call"));
                    // Nothing to tell the host; the media keys are erased all the same.
                    lock (pump.Gate)
                    {
                        if (member.Index is not null) member.Leave();
                    }

                    break;
                }

                while (!member.Ended && inbox.TryRead(out var signal))
                {
                    try
                    {
                        switch (CallSignal.Decode(signal.Signal))
                        {
                            case CallRekey:
                                lock (pump.Gate) member.ApplyRekey(signal.Signal, signal.From);
                                if (epochs++ == 0)
                                {
                                    setupMs = setup.ElapsedMilliseconds;
                                    endAt = DateTime.UtcNow + options.Duration;
                                }

                                onEvent?.Invoke(new CallEvent("rekeyed", $"epoch {member.Media.Epoch} with {member.Roster.Count} participant(s); this device is participant {member.Index}"));
                                break;
                            case CallLeave:
                                lock (pump.Gate) member.ApplyHostLeave(signal.Signal, signal.From);
                                onEvent?.Invoke(new CallEvent("ended", "the caller ended the call"));
                                break;
                        }
                    }
                    catch (EnigmException e) when (e is not Errors.RelayException)
                    {
                        // A rekey or leave that does not fit the call (not from its host, stale, tampered) changes nothing.
                        onEvent?.Invoke(new CallEvent("refused", $"a call signal from device {signal.From.DeviceId} was refused: {e.Message}") { Code = e.Code });
                    }
                }
            }

            await stop.CancelAsync();
            await Quietly(sending);
            await Quietly(receiving);
            if (!member.Ended && member.Index is not null)
            {
                byte[] leave;
                lock (pump.Gate) leave = member.Leave();
                await SendCallSignalsAsync(offer.From.Account, room, [leave], cancellation);
                onEvent?.Invoke(new CallEvent("left", "left the call"));
            }

            var senders = pump.ReceivedFrom().OrderBy(r => r.Key)
                .Select(r => new CallSenderCount(r.Key, r.Key == 0 ? $"{caller.Contact ?? caller.Account[..16]} ({caller.Device})" : $"participant {r.Key}", r.Value));
            return new CallReport(room, "callee", incoming.Suite.Name, [caller], pump.Sent, pump.Received, pump.Dropped, pump.Rejected, epochs, setupMs, [.. senders]);
        }
        finally
        {
            _callInbox.StopListening();
            await stop.CancelAsync();
            await Quietly(sync);
            if (room is not null) _callInbox.Close(room);
            member?.Dispose();
        }
    }

    /// <summary>The first offer from a device allowed to ring: a contact's (under the trust policy) or this account's.</summary>
    private async Task<ReceivedCallSignal> WaitForOfferAsync(System.Threading.Channels.ChannelReader<ReceivedCallSignal> ringing, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        while (true)
        {
            ReceivedCallSignal offer;
            try
            {
                offer = await ringing.ReadAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new CallSetupException($"No call arrived within {timeout.TotalSeconds:0} s.");
            }

            if (offer.From.Account.Equals(OwnAccount)) return offer;
            var contact = _contacts.ByAccount(offer.From.Account.Hex);
            if (contact is null) continue;
            try
            {
                _trust.CheckSend(contact.Name);
                return offer;
            }
            catch (Trust.Errors.ContactChangedException)
            {
                // A contact whose keys changed since it was verified does not ring under the blocking policy.
            }
        }
    }
}
