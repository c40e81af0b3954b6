using System.Formats.Cbor;
using Enigm.Crypto.Encoding;

namespace Enigm.Messaging.Calls.Signals;

/// <summary>
/// <c>[1, 4, call id, sender index]</c>: a member tells the host it leaves, or the host (index 0) tells members the
/// call is over. Carried over the authenticated pairwise session, so the receiver checks the index against the
/// device the session says sent it.
/// </summary>
public sealed record CallLeave(byte[] CallId, int Index)
    : CallSignal(CallId)
{
    internal override Kind Type => Kind.Leave;

    private protected override int FieldCount => 1;

    private protected override void WriteFields(CborWriter writer) => writer.WriteInt32(Index);

    internal static CallLeave ReadFields(CborReader reader, byte[] callId, int fields)
    {
        ExpectFields(fields, 1, "call leave");
        return new CallLeave(callId, (int)CanonicalCbor.ReadUInt(reader, CallKeyIds.MaxParticipants - 1));
    }
}
