using System.Security.Cryptography;
using Enigm.Messaging.Calls.Signals;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;

namespace Enigm.Messaging.Calls;

/// <summary>
/// A member's side of a call (not the host): its link to the host and, from the first rekey on, its media session.
/// It accepts rekeys only from the host it answered, for this call, for a newer epoch, with a roster that places
/// this device and the host where they were; its sender index never changes while it is in the call.
/// </summary>
public sealed class CallParticipant : IDisposable
{
    private CallMediaSession? _media;

    internal CallParticipant(CallLink link) => Link = link;

    public CallLink Link { get; }

    public byte[] CallId => Link.CallId;

    /// <summary>The SAS to read aloud with the host.</summary>
    public string Sas => Link.Sas;

    /// <summary>This device's sender index, from the first rekey.</summary>
    public int? Index { get; private set; }

    /// <summary>The current epoch's members.</summary>
    public IReadOnlyList<CallRosterEntry> Roster { get; private set; } = [];

    /// <summary>True once this device left or the host ended the call.</summary>
    public bool Ended { get; private set; }

    /// <summary>The media session; <see cref="CallStateException"/> before the first rekey or after the call ended.</summary>
    public CallMediaSession Media =>
        !Ended && _media is not null ? _media : throw new CallStateException(Ended ? "The call has ended." : "The call has no epoch yet: wait for the host's rekey.");

    /// <summary>Applies the host's rekey (<see cref="CallRekey"/>) received over the pairwise session from <paramref name="from"/>.</summary>
    public void ApplyRekey(ReadOnlyMemory<byte> rekey, VerifiedIdentity from)
    {
        ArgumentNullException.ThrowIfNull(from);
        if (Ended) throw new CallStateException("The call has ended.");
        if (!from.Equals(Link.Peer))
            throw new CallStateException($"A rekey from {from} is refused: only the host {Link.Peer} rekeys this call.");
        var parsed = CallSignal.Decode<CallRekey>(rekey);
        if (!CryptographicOperations.FixedTimeEquals(parsed.CallId, CallId))
            throw new CallStateException("The rekey is for another call.");
        if (_media?.Epoch is { } current && parsed.Epoch <= current)
            throw new CallStateException($"The rekey's epoch {parsed.Epoch} is not newer than the current epoch {current} (replayed or stale).");
        var self = parsed.Roster.Single(e => e.Index == parsed.RecipientIndex);
        if (!self.Binding.AsSpan().SequenceEqual(Link.Local.Binding))
            throw new CallStateException("The rekey's roster places another device at this device's index.");
        if (Index is { } index && index != parsed.RecipientIndex)
            throw new CallStateException($"The rekey moves this device from index {index} to {parsed.RecipientIndex}.");
        if (!parsed.Roster.Any(e => e.Index == 0 && e.Binding.AsSpan().SequenceEqual(Link.Peer.Binding)))
            throw new CallStateException("The rekey's roster does not have the host at index 0.");

        Span<byte> secret = stackalloc byte[CallEpochKeys.EpochSecretSize];
        var associated = CallRekey.AssociatedData(parsed.CallId, parsed.Epoch, parsed.Roster, parsed.RecipientIndex);
        if (!Link.TryUnwrap(parsed.WrappedSecret, parsed.Epoch, associated, secret))
            throw new CallSetupException("The rekey's epoch secret does not open under this call's link (tampered, or not from this call's setup).");
        try
        {
            _media ??= new CallMediaSession(Link.Suite, CallId, parsed.RecipientIndex);
            _media.EnterEpoch(parsed.Epoch, secret, [.. parsed.Roster.Select(e => e.Index)]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }

        Index = parsed.RecipientIndex;
        Roster = parsed.Roster;
    }

    /// <summary>
    /// Epoch 0 of a two-party call, keyed from the link's call secret (docs/calls.md, "Epoch 0"): the host at index 0,
    /// this device at index 1. Later joins and leaves arrive as rekeys like in any call.
    /// </summary>
    internal void EnterFirstEpoch(byte[] hostBinding)
    {
        Span<byte> secret = stackalloc byte[CallEpochKeys.EpochSecretSize];
        Link.FirstEpochSecret(secret);
        try
        {
            _media = new CallMediaSession(Link.Suite, CallId, CallHost.FirstMemberIndex);
            _media.EnterEpoch(0, secret, [0, CallHost.FirstMemberIndex]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }

        Index = CallHost.FirstMemberIndex;
        Roster = [new CallRosterEntry(0, hostBinding), new CallRosterEntry(CallHost.FirstMemberIndex, Link.Local.Binding)];
    }

    /// <summary>Leaves the call: erases the media keys and returns the <see cref="CallLeave"/> to send to the host.</summary>
    public byte[] Leave()
    {
        var message = new CallLeave(CallId, Index ?? throw new CallStateException("This device has no index yet.")).Encode();
        End();
        return message;
    }

    /// <summary>Handles the host's <see cref="CallLeave"/> (index 0): the call is over.</summary>
    public void ApplyHostLeave(ReadOnlyMemory<byte> leave, VerifiedIdentity from)
    {
        if (!from.Equals(Link.Peer)) throw new CallStateException($"Only the host ends the call, not {from}.");
        var parsed = CallSignal.Decode<CallLeave>(leave);
        if (!CryptographicOperations.FixedTimeEquals(parsed.CallId, CallId) || parsed.Index != 0)
            throw new CallStateException("The leave message is not the host's for this call.");
        End();
    }

    private void End()
    {
        Ended = true;
        _media?.Dispose();
        _media = null;
    }

    public void Dispose()
    {
        End();
        Link.Dispose();
    }
}
