using System.Buffers.Binary;
using System.Security.Cryptography;
using Enigm.Messaging.Calls.SFrame;

namespace Enigm.Messaging.Calls;

/// <summary>
/// Per-sender SFrame base keys of one call epoch (docs/calls.md, "Keys"). The host draws a fresh 32-byte epoch
/// secret for every epoch and sends it to each member over the pairwise channel; every member derives each
/// sender's base key from it, as RFC 9605 §5.2 derives per-sender keys from an epoch secret:
/// <code>
/// base_key[index] = HKDF(ikm = epoch_secret, salt = "", info = "enigm/call/v1/sender" + call_id + epoch:8 + index:4, Nh)
/// </code>
/// with the suite's hash. The call id and the full epoch number in the label keep two calls, or two epochs with
/// the same low KID bits, from ever sharing a key; §4.4.2 then derives key and salt per KID.
/// </summary>
internal static class CallEpochKeys
{
    public const int EpochSecretSize = 32;

    private static ReadOnlySpan<byte> Label => "enigm/call/v1/sender"u8;

    public static byte[] SenderBaseKey(SFrameCipherSuite suite, ReadOnlySpan<byte> epochSecret, ReadOnlySpan<byte> callId, ulong epoch, int senderIndex)
    {
        Span<byte> info = stackalloc byte[Label.Length + callId.Length + 12];
        Label.CopyTo(info);
        callId.CopyTo(info[Label.Length..]);
        BinaryPrimitives.WriteUInt64BigEndian(info[(Label.Length + callId.Length)..], epoch);
        BinaryPrimitives.WriteUInt32BigEndian(info[(Label.Length + callId.Length + 8)..], (uint)senderIndex);
        var baseKey = new byte[suite.HashSize];
        HKDF.DeriveKey(suite.Hash, epochSecret, baseKey, ReadOnlySpan<byte>.Empty, info);
        return baseKey;
    }
}
