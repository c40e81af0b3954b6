using Enigm.Messaging.Calls;
using Enigm.Messaging.Prekeys;
using Enigm.Relay;

namespace Enigm.Client.Calls;

/// <summary>
/// What the device hosting a call keeps besides the protocol's <see cref="CallHost"/>: the relay room's participant
/// list (the owner manages it, docs/relay-api.md "Media relay"), the offers still ringing, who answered (with the SAS of
/// each link) and a name per sender index for the report. Used only by the call's own loop.
/// </summary>
internal sealed class HostedCall(CallHost host) : IDisposable
{
    private readonly Dictionary<string, CallInvitation> _ringing = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _names = new() { [0] = "this device" };

    public CallHost Host { get; } = host;

    public string Room { get; } = Convert.ToHexStringLower(host.CallId);

    /// <summary>The devices the relay lets into the room (besides the owner).</summary>
    public List<CallRoomParticipant> Allowed { get; } = [];

    /// <summary>Every device that answered, in order, with its SAS.</summary>
    public List<CallPeer> Peers { get; } = [];

    public int Epochs { get; set; }

    public bool Ringing => _ringing.Count > 0;

    public static string Key(VerifiedIdentity device) => Convert.ToHexStringLower(device.Binding);

    public bool IsInCallOrRinging(VerifiedIdentity device) =>
        _ringing.ContainsKey(Key(device)) || Host.Members.Values.Any(m => m.Equals(device));

    public void Ring(VerifiedIdentity device, CallInvitation invitation)
    {
        _ringing[Key(device)] = invitation;
        var participant = new CallRoomParticipant(device.Account.Hex, device.DeviceId);
        if (!Allowed.Contains(participant)) Allowed.Add(participant);
    }

    /// <summary>The encoded offer ringing <paramref name="device"/>.</summary>
    public byte[] OfferFor(VerifiedIdentity device) => _ringing[Key(device)].Offer;

    /// <summary>The offer that rang <paramref name="device"/>, taken out (an offer is answered once).</summary>
    public CallInvitation? TakeOffer(VerifiedIdentity device) => _ringing.Remove(Key(device), out var invitation) ? invitation : null;

    /// <summary>Withdraws every offer still ringing a device of <paramref name="account"/>; true if there was one.</summary>
    public bool Withdraw(string account)
    {
        var withdrawn = _ringing.Where(r => r.Value.Peer.Account.Hex == account).ToList();
        foreach (var (key, invitation) in withdrawn)
        {
            _ringing.Remove(key);
            invitation.Dispose();
        }

        return withdrawn.Count > 0;
    }

    public void Admitted(int index, CallPeer peer)
    {
        Peers.Add(peer);
        _names[index] = $"{peer.Contact ?? peer.Account[..16]} ({peer.Device})";
    }

    /// <summary>Takes devices out of the room list (they left or were removed): the relay closes their sockets.</summary>
    public void Disallow(Func<CallRoomParticipant, bool> which) => Allowed.RemoveAll(p => which(p));

    public List<CallSenderCount> Senders(IReadOnlyDictionary<int, long> received) =>
        [.. received.OrderBy(r => r.Key).Select(r => new CallSenderCount(r.Key, _names.GetValueOrDefault(r.Key, $"participant {r.Key}"), r.Value))];

    public void Dispose()
    {
        foreach (var invitation in _ringing.Values) invitation.Dispose();
        _ringing.Clear();
    }
}
