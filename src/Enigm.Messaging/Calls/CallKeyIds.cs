using Enigm.Messaging.Errors;

namespace Enigm.Messaging.Calls;

/// <summary>
/// The KID layout of an Enigm call, RFC 9605 §5.2's with no context bits and a fixed sender field:
/// <code>
/// KID = (sender_index &lt;&lt; E) + (epoch % 2^E),   E = 8 bits, sender_index &lt; 64
/// </code>
/// The low 8 bits carry the epoch modulo 256 (a receiver holds at most two epochs, so they never collide) and the
/// bits above them the sender's index in the call. A KID is therefore below 2^14 and its header field fits in two
/// bytes. §5.2: "receivers MUST remove an old epoch when a new epoch with the same low-order E bits is introduced";
/// holding at most two consecutive epochs does that.
/// </summary>
public static class CallKeyIds
{
    /// <summary>E, the epoch bits of a KID.</summary>
    public const int EpochBits = 8;

    /// <summary>The most participants a call holds (sender indexes 0–63; index 0 is the host).</summary>
    public const int MaxParticipants = 64;

    private const ulong EpochMask = (1UL << EpochBits) - 1;

    public static ulong Compose(int senderIndex, ulong epoch)
    {
        if (senderIndex is < 0 or >= MaxParticipants)
            throw new CallStateException($"Sender index {senderIndex} is outside 0–{MaxParticipants - 1}.");
        return ((ulong)senderIndex << EpochBits) | (epoch & EpochMask);
    }

    /// <summary>The sender index and low epoch bits a KID names; false when the index is out of range.</summary>
    public static bool TrySplit(ulong kid, out int senderIndex, out byte epochBits)
    {
        epochBits = (byte)(kid & EpochMask);
        var index = kid >> EpochBits;
        senderIndex = index < MaxParticipants ? (int)index : -1;
        return senderIndex >= 0;
    }
}
