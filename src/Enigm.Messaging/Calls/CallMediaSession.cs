using System.Security.Cryptography;
using Enigm.Messaging.Calls.SFrame;
using Enigm.Messaging.Errors;

namespace Enigm.Messaging.Calls;

/// <summary>
/// One device's SFrame state in a call: its own sender for the current epoch and a receiver holding the keys of
/// every other member, for the current epoch and the one before it (so frames in flight across a rekey still
/// play). Entering an epoch drops every key of a member not in the new roster, so a member who left is refused at
/// once, and forgets epochs older than the previous one. Frames are classified by their KID
/// (<see cref="CallKeyIds"/>): a known member with an epoch this device does not hold is
/// <see cref="CallEpochException"/>, anything else without a key is <see cref="SFrameUnknownKeyException"/>.
/// Not thread-safe.
/// </summary>
public sealed class CallMediaSession : IDisposable
{
    private readonly byte[] _callId;
    private readonly SFrameReceiver _receiver;
    private readonly Dictionary<ulong, HashSet<int>> _epochMembers = [];

    // Every index that was ever in a roster: a frame from one of them without a key is a wrong epoch, not a stranger.
    private readonly HashSet<int> _everMembers = [];
    private SFrameSender? _sender;

    internal CallMediaSession(SFrameCipherSuite suite, byte[] callId, int ownIndex)
    {
        Suite = suite;
        _callId = callId;
        OwnIndex = ownIndex;
        _receiver = new SFrameReceiver(suite);
    }

    public SFrameCipherSuite Suite { get; }

    /// <summary>This device's sender index (0 for the host).</summary>
    public int OwnIndex { get; }

    /// <summary>The epoch this device sends in; null before the first rekey.</summary>
    public ulong? Epoch { get; private set; }

    /// <summary>The KID of this device's frames in the current epoch.</summary>
    public ulong? SendingKid => _sender?.Kid;

    /// <summary>The size of the next frame for a plaintext of this length.</summary>
    public int FrameSize(int plaintextLength) => Sender.FrameSize(plaintextLength);

    /// <summary>Protects one media frame under this device's key of the current epoch.</summary>
    public int Protect(ReadOnlySpan<byte> plaintext, Span<byte> frame, ReadOnlySpan<byte> metadata = default) =>
        Sender.Protect(plaintext, frame, metadata);

    public byte[] Protect(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> metadata = default) => Sender.Protect(plaintext, metadata);

    /// <summary>Unprotects a frame of another member; returns its header (the KID names the sender: <see cref="CallKeyIds.TrySplit"/>).</summary>
    public SFrameHeader Unprotect(ReadOnlySpan<byte> frame, Span<byte> plaintext, out int plaintextLength, ReadOnlySpan<byte> metadata = default)
    {
        var header = SFrameHeader.Read(frame, out _);
        if (!_receiver.HasKey(header.Kid)) throw Classify(header.Kid);
        return _receiver.Unprotect(frame, plaintext, out plaintextLength, metadata);
    }

    public byte[] Unprotect(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> metadata = default)
    {
        var header = SFrameHeader.Read(frame, out _);
        if (!_receiver.HasKey(header.Kid)) throw Classify(header.Kid);
        return _receiver.Unprotect(frame, metadata);
    }

    /// <summary>
    /// Moves to <paramref name="epoch"/> with its secret and roster (the sender indexes of its members). The
    /// previous epoch stays readable for members still in the roster; older ones are erased.
    /// </summary>
    internal void EnterEpoch(ulong epoch, ReadOnlySpan<byte> epochSecret, IReadOnlyCollection<int> roster)
    {
        if (Epoch is { } current && epoch <= current)
            throw new CallStateException($"Epoch {epoch} is not newer than the current epoch {current}.");
        if (!roster.Contains(OwnIndex))
            throw new CallStateException($"The roster of epoch {epoch} does not include this device (index {OwnIndex}).");

        foreach (var old in _epochMembers.Keys.Where(e => Epoch is { } c && e < c).ToList()) DropEpoch(old);
        if (Epoch is { } previous)
        {
            // A member who left must not be heard after the rekey, even under the previous epoch's key.
            foreach (var gone in _epochMembers[previous].Where(i => !roster.Contains(i)).ToList())
            {
                _receiver.RemoveKey(CallKeyIds.Compose(gone, previous));
                _epochMembers[previous].Remove(gone);
            }
        }

        foreach (var index in roster.Where(i => i != OwnIndex))
        {
            var baseKey = CallEpochKeys.SenderBaseKey(Suite, epochSecret, _callId, epoch, index);
            _receiver.AddKey(CallKeyIds.Compose(index, epoch), baseKey);
            CryptographicOperations.ZeroMemory(baseKey);
        }

        var ownKey = CallEpochKeys.SenderBaseKey(Suite, epochSecret, _callId, epoch, OwnIndex);
        _sender?.Dispose();
        _sender = new SFrameSender(Suite, CallKeyIds.Compose(OwnIndex, epoch), ownKey);
        CryptographicOperations.ZeroMemory(ownKey);
        _epochMembers[epoch] = [.. roster.Where(i => i != OwnIndex)];
        _everMembers.UnionWith(roster);
        Epoch = epoch;
    }

    /// <summary>Stops reading the previous epoch (once every member has moved on).</summary>
    public void RetirePreviousEpoch()
    {
        foreach (var old in _epochMembers.Keys.Where(e => e != Epoch).ToList()) DropEpoch(old);
    }

    private SFrameSender Sender => _sender ?? throw new CallStateException("The call has no epoch yet: wait for the host's rekey.");

    private void DropEpoch(ulong epoch)
    {
        foreach (var index in _epochMembers[epoch]) _receiver.RemoveKey(CallKeyIds.Compose(index, epoch));
        _epochMembers.Remove(epoch);
    }

    private EnigmException Classify(ulong kid)
    {
        if (!CallKeyIds.TrySplit(kid, out var index, out var epochBits)) return new SFrameUnknownKeyException(kid);
        if (index == OwnIndex || !_everMembers.Contains(index)) return new SFrameUnknownKeyException(kid);
        return new CallEpochException(kid, $"The frame from participant {index} is under epoch bits {epochBits}, an epoch this device does not hold (it was sent before this device joined, after it left, or in a retired epoch).");
    }

    public void Dispose()
    {
        _sender?.Dispose();
        _receiver.Dispose();
    }
}
