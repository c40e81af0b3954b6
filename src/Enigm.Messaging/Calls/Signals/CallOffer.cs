using System.Formats.Cbor;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Messaging.Prekeys;

namespace Enigm.Messaging.Calls.Signals;

/// <summary>
/// The caller's offer, <c>[1, 1, call id, SFrame suite id, caller binding, callee binding, X-Wing ephemeral
/// encapsulation key, direct]</c>. Naming both device identities lets the callee refuse an offer forwarded from another
/// device or meant for one; the ephemeral key is fresh per offer and its private half never leaves the caller.
/// <paramref name="Direct"/> (a CBOR bool) says the call is two-party: epoch 0 derives from this offer/answer's call
/// secret, with the caller at index 0 and the callee at index 1, and no rekey is sent (docs/calls.md, "Epoch 0").
/// </summary>
public sealed record CallOffer(byte[] CallId, ushort SuiteId, byte[] CallerBinding, byte[] CalleeBinding, byte[] EphemeralKey, bool Direct)
    : CallSignal(CallId)
{
    internal override Kind Type => Kind.Offer;

    private protected override int FieldCount => 5;

    private protected override void WriteFields(CborWriter writer)
    {
        writer.WriteUInt32(SuiteId);
        writer.WriteByteString(CallerBinding);
        writer.WriteByteString(CalleeBinding);
        writer.WriteByteString(EphemeralKey);
        writer.WriteBoolean(Direct);
    }

    internal static CallOffer ReadFields(CborReader reader, byte[] callId, int fields)
    {
        ExpectFields(fields, 5, "call offer");
        var suite = (ushort)CanonicalCbor.ReadUInt(reader, ushort.MaxValue);
        var caller = MessagingCbor.ReadExact(reader, HashSize, "caller binding");
        var callee = MessagingCbor.ReadExact(reader, HashSize, "callee binding");
        var key = MessagingCbor.ReadExact(reader, KemAlgorithm.XWing.PublicKeySize, "X-Wing encapsulation key");
        // ReadBoolean refuses anything but the one-byte simple values true and false.
        var direct = reader.ReadBoolean();
        return new CallOffer(callId, suite, caller, callee, key, direct);
    }
}
