using System.Security.Cryptography;
using Enigm.Crypto.Providers;
using Enigm.Messaging.Calls.SFrame;
using Enigm.Messaging.Calls.Signals;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;

namespace Enigm.Messaging.Calls;

/// <summary>A message the host must send to one member over the pairwise session.</summary>
public sealed record OutgoingCallSignal(VerifiedIdentity Recipient, byte[] Message);

/// <summary>
/// The device that starts a call and keys it (docs/calls.md): it rings each device with an offer, admits each
/// answered link as a member with a sender index, and on every join or leave draws a fresh epoch secret and sends
/// it to each current member, wrapped under that member's own link. A member who left never receives the new
/// secret; a member who joins receives only secrets from its epoch on. The host is sender index 0.
/// </summary>
public sealed class CallHost : IDisposable
{
    private readonly CryptoProviders _providers;
    private readonly SortedDictionary<int, CallLink> _members = [];

    public CallHost(VerifiedIdentity self, SFrameCipherSuite? suite = null, CryptoProviders? providers = null)
    {
        Self = self ?? throw new ArgumentNullException(nameof(self));
        Suite = suite ?? SFrameCipherSuite.Default;
        _providers = providers ?? CryptoProviders.Default;
        CallId = RandomNumberGenerator.GetBytes(CallSignal.CallIdSize);
        Media = new CallMediaSession(Suite, CallId, 0);
    }

    public VerifiedIdentity Self { get; }

    public byte[] CallId { get; }

    public SFrameCipherSuite Suite { get; }

    /// <summary>The host's own media session (index 0).</summary>
    public CallMediaSession Media { get; }

    public ulong? Epoch => Media.Epoch;

    /// <summary>The members other than the host, by sender index.</summary>
    public IReadOnlyDictionary<int, VerifiedIdentity> Members => _members.ToDictionary(m => m.Key, m => m.Value.Peer);

    /// <summary>The current roster: the host at 0, then every member.</summary>
    public IReadOnlyList<CallRosterEntry> Roster =>
        [new CallRosterEntry(0, Self.Binding), .. _members.Select(m => new CallRosterEntry(m.Key, m.Value.Peer.Binding))];

    /// <summary>An offer to ring <paramref name="peer"/> (a trusted device the application chose).</summary>
    public CallInvitation Invite(VerifiedIdentity peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return new CallInvitation(Self, peer, CallId, Suite, _providers);
    }

    /// <summary>
    /// Admits the device at the other end of <paramref name="link"/> (from <see cref="CallInvitation.Complete"/>) and
    /// starts a new epoch: returns the rekey for every member, the newcomer included.
    /// </summary>
    public IReadOnlyList<OutgoingCallSignal> Admit(CallLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (!CryptographicOperations.FixedTimeEquals(link.CallId, CallId) || !link.Local.Equals(Self))
            throw new CallStateException("The link belongs to another call.");
        if (_members.Values.Any(m => m.Peer.Equals(link.Peer)))
            throw new CallStateException($"{link.Peer} is already in the call.");
        var index = Enumerable.Range(1, CallKeyIds.MaxParticipants - 1).FirstOrDefault(i => !_members.ContainsKey(i));
        if (index == 0)
            throw new CallStateException($"The call is full ({CallKeyIds.MaxParticipants} participants).");
        _members[index] = link;
        return NewEpoch();
    }

    /// <summary>Removes a member (hung up, or its device was revoked) and rekeys everyone who remains.</summary>
    public IReadOnlyList<OutgoingCallSignal> Remove(VerifiedIdentity member) => Remove([member]);

    /// <summary>
    /// Removes several members at once (every device of a person) with a single new epoch: removing them one by one
    /// would hand the intermediate epoch's secret to the members removed last.
    /// </summary>
    public IReadOnlyList<OutgoingCallSignal> Remove(IReadOnlyCollection<VerifiedIdentity> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new CallStateException("Nobody to remove.");
        var entries = new List<KeyValuePair<int, CallLink>>(members.Count);
        foreach (var member in members)
        {
            var entry = _members.FirstOrDefault(m => m.Value.Peer.Equals(member));
            if (entry.Value is null) throw new CallStateException($"{member} is not in the call.");
            entries.Add(entry);
        }

        foreach (var (index, link) in entries)
        {
            _members.Remove(index);
            link.Dispose();
        }

        return NewEpoch();
    }

    /// <summary>Handles a member's <see cref="CallLeave"/>, received from <paramref name="from"/>; returns the rekeys.</summary>
    public IReadOnlyList<OutgoingCallSignal> ApplyLeave(ReadOnlyMemory<byte> leave, VerifiedIdentity from)
    {
        var parsed = CallSignal.Decode<CallLeave>(leave);
        if (!CryptographicOperations.FixedTimeEquals(parsed.CallId, CallId))
            throw new CallStateException("The leave message is for another call.");
        if (!_members.TryGetValue(parsed.Index, out var link) || !link.Peer.Equals(from))
            throw new CallStateException($"{from} is not the member at index {parsed.Index}.");
        return Remove(from);
    }

    /// <summary>A new epoch with the same members (periodic rotation, or a counter near its end).</summary>
    public IReadOnlyList<OutgoingCallSignal> Rekey() => NewEpoch();

    /// <summary>Ends the call: the host's <see cref="CallLeave"/> for every member.</summary>
    public IReadOnlyList<OutgoingCallSignal> End()
    {
        var message = new CallLeave(CallId, 0).Encode();
        return [.. _members.Values.Select(m => new OutgoingCallSignal(m.Peer, message))];
    }

    private List<OutgoingCallSignal> NewEpoch()
    {
        var epoch = Media.Epoch is { } current ? current + 1 : 0;
        var roster = Roster;
        Span<byte> secret = stackalloc byte[CallEpochKeys.EpochSecretSize];
        RandomNumberGenerator.Fill(secret);
        try
        {
            var messages = new List<OutgoingCallSignal>(_members.Count);
            foreach (var (index, link) in _members)
            {
                var wrapped = link.Wrap(secret, epoch, CallRekey.AssociatedData(CallId, epoch, roster, index));
                messages.Add(new OutgoingCallSignal(link.Peer, new CallRekey(CallId, epoch, roster, index, wrapped).Encode()));
            }

            Media.EnterEpoch(epoch, secret, [.. roster.Select(e => e.Index)]);
            return messages;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    public void Dispose()
    {
        Media.Dispose();
        foreach (var link in _members.Values) link.Dispose();
        _members.Clear();
    }
}
