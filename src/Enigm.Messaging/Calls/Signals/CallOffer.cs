using System.Formats.Cbor;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Messaging.Prekeys;

namespace Enigm.Messaging.Calls.Signals;

/// <summary>
/// The caller's offer, <c>[1, 1, call id, SFrame suite id, caller binding, callee binding, X-Wing ephemeral
/// encapsulation key]</c>. Naming both device identities lets the callee refuse an offer forwarded from another
/// device or meant for one; the ephemeral key is fresh per offer and its private half never leaves the caller.
/// </summary>
public sealed record CallOffer(byte[] CallId, ushort SuiteId, byte[] CallerBinding, byte[] CalleeBinding, byte[] EphemeralKey)
    : CallSignal(CallId)
{
    internal override Kind Type => Kind.Offer;

    private protected override int FieldCount => 4;

    private protected override void WriteFields(CborWriter writer)
    {
        writer.WriteUInt32(SuiteId);
        writer.WriteByteString(CallerBinding);
        writer.WriteByteString(CalleeBinding);
        writer.WriteByteString(EphemeralKey);
    }

    internal static CallOffer ReadFields(CborReader reader, byte[] callId, int fields)
    {
        ExpectFields(fields, 4, "call offer");
        var suite = (ushort)CanonicalCbor.ReadUInt(reader, ushort.MaxValue);
        var caller = MessagingCbor.ReadExact(reader, HashSize, "caller binding");
        var callee = MessagingCbor.ReadExact(reader, HashSize, "callee binding");
        var key = MessagingCbor.ReadExact(reader, KemAlgorithm.XWing.PublicKeySize, "X-Wing encapsulation key");
        return new CallOffer(callId, suite, caller, callee, key);
    }
}
