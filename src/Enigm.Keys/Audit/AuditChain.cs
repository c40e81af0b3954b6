namespace Enigm.Keys.Audit;

/// <summary>
/// Walks the hash chain and names the first entry that breaks it. Each entry at position p must carry
/// sequence p, link to the hash of the entry before it and hash to its own stored hash. When the chain
/// breaks, the neighbouring hashes tell an insertion, a removal and a reordering apart, so the message
/// says which happened and the position points at the entry that is actually wrong.
/// </summary>
internal static class AuditChain
{
    internal readonly record struct Break(long Position, string Problem);

    /// <summary>
    /// Checks <paramref name="entries"/> from index <paramref name="start"/>, which must hold sequence
    /// <paramref name="firstSequence"/> and link to <paramref name="previousHash"/>.
    /// </summary>
    public static Break? FirstBreak(IReadOnlyList<AuditEntry> entries, int start, long firstSequence, byte[] previousHash)
    {
        var previous = previousHash;
        byte[]? beforePrevious = null;
        for (var i = start; i < entries.Count; i++)
        {
            var entry = entries[i];
            var position = firstSequence + (i - start);

            if (beforePrevious is not null && LooksShiftedBy(entry, beforePrevious, position - 1))
            {
                // The entry continues from position-2 exactly as the entry of sequence position-1 did:
                // the entry now at position-1 was slipped in between them.
                return new Break(position - 1, $"entry {position - 1} was inserted: the entry after it continues the chain from entry {position - 2}");
            }

            if (entry.Sequence != position)
                return new Break(position, SequenceProblem(entries, i, position));

            if (entry.PreviousHash.Length != AuditFormat.HashSize || entry.Hash.Length != AuditFormat.HashSize)
                return new Break(position, "a stored hash is not 32 bytes (entry edited)");

            if (!AuditFormat.SameBytes(entry.PreviousHash, previous))
                return new Break(position, LinkProblem(entries, entry, position));

            var expected = AuditFormat.EntryHash(entry, position);
            if (expected is null)
                return new Break(position, "a text field is not valid Unicode (entry edited)");
            if (!AuditFormat.SameBytes(expected, entry.Hash))
                return new Break(position, "its contents no longer match its hash (entry edited)");

            beforePrevious = previous;
            previous = entry.Hash;
        }

        return null;
    }

    /// <summary>True when <paramref name="entry"/> is a genuine entry of sequence <paramref name="sequence"/> linking to <paramref name="link"/>.</summary>
    private static bool LooksShiftedBy(AuditEntry entry, byte[] link, long sequence) =>
        (entry.Sequence == sequence || entry.Sequence == sequence + 1)
        && AuditFormat.SameBytes(entry.PreviousHash, link)
        && AuditFormat.EntryHash(entry, sequence) is { } hash
        && AuditFormat.SameBytes(hash, entry.Hash);

    private static string SequenceProblem(IReadOnlyList<AuditEntry> entries, int index, long position)
    {
        var found = entries[index].Sequence;
        if (found < position)
            return $"sequence {found} appears where {position} belongs (an entry was inserted, repeated or moved)";
        for (var j = index + 1; j < entries.Count; j++)
        {
            if (entries[j].Sequence == position)
                return $"entries reordered: sequence {found} appears where {position} belongs, and {position} comes later";
        }

        return $"entry {position} is missing (removed): the next entry has sequence {found}";
    }

    private static string LinkProblem(IReadOnlyList<AuditEntry> entries, AuditEntry entry, long position)
    {
        // An entry whose own hash is consistent with sequence position+1 was moved up by one place.
        if (AuditFormat.EntryHash(entry, position + 1) is { } hash && AuditFormat.SameBytes(hash, entry.Hash))
        {
            return entries.Any(e => AuditFormat.SameBytes(e.Hash, entry.PreviousHash))
                ? $"entries reordered: the entry at {position} was written as entry {position + 1}"
                : $"entry {position} was removed and the later entries renumbered";
        }

        return $"it does not link to entry {position - 1} (an entry was removed, inserted or reordered here, or this entry was edited)";
    }
}
