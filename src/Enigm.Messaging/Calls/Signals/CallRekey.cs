using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Messaging.Prekeys;

namespace Enigm.Messaging.Calls.Signals;

/// <summary>One member of an epoch's roster: its sender index and its device's identity binding.</summary>
public sealed record CallRosterEntry(int Index, byte[] Binding);

/// <summary>
/// The host's new epoch for one member, <c>[1, 3, call id, epoch, roster [[index, binding]…], recipient index,
/// wrapped epoch secret]</c>. The epoch secret is AES-256-GCM-encrypted under a key derived from the pairwise call
/// secret of that member (docs/calls.md, "Rekey"), with everything else in the message as associated data.
/// </summary>
public sealed record CallRekey(byte[] CallId, ulong Epoch, IReadOnlyList<CallRosterEntry> Roster, int RecipientIndex, byte[] WrappedSecret)
    : CallSignal(CallId)
{
    /// <summary>A 32-byte epoch secret and a 16-byte GCM tag.</summary>
    public const int WrappedSecretSize = CallEpochKeys.EpochSecretSize + 16;

    internal override Kind Type => Kind.Rekey;

    private protected override int FieldCount => 4;

    private protected override void WriteFields(CborWriter writer)
    {
        writer.WriteUInt64(Epoch);
        WriteRoster(writer, Roster);
        writer.WriteInt32(RecipientIndex);
        writer.WriteByteString(WrappedSecret);
    }

    /// <summary>The bytes the wrapped secret is bound to: <c>[call id, epoch, roster, recipient index]</c>.</summary>
    internal static byte[] AssociatedData(byte[] callId, ulong epoch, IReadOnlyList<CallRosterEntry> roster, int recipient)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(4);
        writer.WriteByteString(callId);
        writer.WriteUInt64(epoch);
        WriteRoster(writer, roster);
        writer.WriteInt32(recipient);
        writer.WriteEndArray();
        return writer.Encode();
    }

    private static void WriteRoster(CborWriter writer, IReadOnlyList<CallRosterEntry> roster)
    {
        writer.WriteStartArray(roster.Count);
        foreach (var entry in roster)
        {
            writer.WriteStartArray(2);
            writer.WriteInt32(entry.Index);
            writer.WriteByteString(entry.Binding);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    internal static CallRekey ReadFields(CborReader reader, byte[] callId, int fields)
    {
        ExpectFields(fields, 4, "call rekey");
        var epoch = reader.ReadUInt64();
        var count = MessagingCbor.ReadArrayUpTo(reader, CallKeyIds.MaxParticipants, "call roster");
        var roster = new List<CallRosterEntry>(count);
        for (var i = 0; i < count; i++)
        {
            CanonicalCbor.ReadArrayStart(reader, 2);
            var index = (int)CanonicalCbor.ReadUInt(reader, CallKeyIds.MaxParticipants - 1);
            // Strictly ascending indexes: one entry per member, one encoding per roster.
            if (roster.Count > 0 && index <= roster[^1].Index)
                throw new MalformedInputException("The call roster's indexes are not strictly ascending.");
            roster.Add(new CallRosterEntry(index, MessagingCbor.ReadExact(reader, HashSize, "roster binding")));
            reader.ReadEndArray();
        }

        reader.ReadEndArray();
        var recipient = (int)CanonicalCbor.ReadUInt(reader, CallKeyIds.MaxParticipants - 1);
        if (!roster.Any(e => e.Index == recipient))
            throw new MalformedInputException($"The rekey's recipient index {recipient} is not in its roster.");
        var wrapped = MessagingCbor.ReadExact(reader, WrappedSecretSize, "wrapped epoch secret");
        return new CallRekey(callId, epoch, roster, recipient, wrapped);
    }
}
