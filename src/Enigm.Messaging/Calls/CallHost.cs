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
    /// <summary>The sender index of the device a direct (two-party) offer rings.</summary>
    public const int FirstMemberIndex = 1;

    private readonly CryptoProviders _providers;
    private readonly SortedDictionary<int, CallLink> _members = [];

    // Set once a direct offer went out: index 1 stays its callee's, whoever answers first.
    private bool _directOffered;

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

    /// <summary>
    /// An offer to ring <paramref name="peer"/> (a trusted device the application chose). With
    /// <paramref name="direct"/>, for a two-party call: the answer keys epoch 0 itself from the link's call secret
    /// (docs/calls.md, "Epoch 0"), so media starts without a rekey; only the first offer of a call that has no epoch yet
    /// may be direct. Devices rung later (or several rung at once) wait for a rekey.
    /// </summary>
    public CallInvitation Invite(VerifiedIdentity peer, bool direct = false)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (direct && (_directOffered || Epoch is not null || _members.Count > 0))
            throw new CallStateException("Only the first offer of a call with no epoch yet can key epoch 0 directly.");
        _directOffered |= direct;
        return new CallInvitation(Self, peer, CallId, Suite, direct, _providers);
    }

    /// <summary>
    /// Admits the device at the other end of <paramref name="link"/> (from <see cref="CallInvitation.Complete"/>) and
    /// starts a new epoch: returns the rekey for every member, the newcomer included. The answer to a direct offer
    /// while the call has no epoch keys epoch 0 from the link instead, and nothing is sent.
    /// </summary>
    public IReadOnlyList<OutgoingCallSignal> Admit(CallLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (!CryptographicOperations.FixedTimeEquals(link.CallId, CallId) || !link.Local.Equals(Self))
            throw new CallStateException("The link belongs to another call.");
        if (_members.Values.Any(m => m.Peer.Equals(link.Peer)))
            throw new CallStateException($"{link.Peer} is already in the call.");
        var index = link.Direct
            ? (_members.ContainsKey(FirstMemberIndex) ? 0 : FirstMemberIndex)
            : Enumerable.Range(1, CallKeyIds.MaxParticipants - 1).FirstOrDefault(i => !_members.ContainsKey(i) && !(i == FirstMemberIndex && _directOffered));
        if (index == 0)
            throw new CallStateException($"The call is full ({CallKeyIds.MaxParticipants} participants).");
        _members[index] = link;
        if (link.Direct && Epoch is null) return FirstEpoch(link);
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

    /// <summary>Epoch 0 of a two-party call, from the direct link's call secret: the member derives the same, nothing to send.</summary>
    private List<OutgoingCallSignal> FirstEpoch(CallLink link)
    {
        Span<byte> secret = stackalloc byte[CallEpochKeys.EpochSecretSize];
        link.FirstEpochSecret(secret);
        try
        {
            Media.EnterEpoch(0, secret, [0, FirstMemberIndex]);
            return [];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
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
