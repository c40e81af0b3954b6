using System.Formats.Cbor;
using Enigm.Crypto.Algorithms;
using Enigm.Messaging.Prekeys;

namespace Enigm.Messaging.Calls.Signals;

/// <summary>
/// The callee's answer, <c>[1, 2, call id, SHA-256 of the offer, X-Wing ciphertext]</c>: the ciphertext
/// encapsulates to the offer's ephemeral key, and the offer hash ties the answer to exactly that offer.
/// </summary>
public sealed record CallAnswer(byte[] CallId, byte[] OfferHash, byte[] Ciphertext)
    : CallSignal(CallId)
{
    internal override Kind Type => Kind.Answer;

    private protected override int FieldCount => 2;

    private protected override void WriteFields(CborWriter writer)
    {
        writer.WriteByteString(OfferHash);
        writer.WriteByteString(Ciphertext);
    }

    internal static CallAnswer ReadFields(CborReader reader, byte[] callId, int fields)
    {
        ExpectFields(fields, 2, "call answer");
        var offerHash = MessagingCbor.ReadExact(reader, HashSize, "offer hash");
        var ciphertext = MessagingCbor.ReadExact(reader, KemAlgorithm.XWing.CiphertextSize, "X-Wing ciphertext");
        return new CallAnswer(callId, offerHash, ciphertext);
    }
}
