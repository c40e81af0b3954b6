using Enigm.Crypto.Providers;
using Enigm.Keys.Audit;
using Xunit;

namespace Enigm.Keys.Tests.Audit;

/// <summary>Each kind of tampering with the stored log is caught at the entry where it happened.</summary>
public sealed class AuditTamperTests
{
    private const int Count = 12;

    private static AuditTestLog TwelveEntriesCheckpointedAt4And12()
    {
        var log = new AuditTestLog();
        log.Fill(Count, 4, 12);
        return log;
    }

    [Theory]
    [InlineData("event", "'destroy'")]
    [InlineData("detail", "'reason=routine'")]
    [InlineData("time_ms", "time_ms + 1")]
    [InlineData("key_id", "'key-99.v1'")]
    [InlineData("key_id", "NULL")]
    public void An_edited_field_is_reported_at_its_entry(string column, string value)
    {
        using var log = TwelveEntriesCheckpointedAt4And12();
        log.Sql($"UPDATE audit_entries SET {column} = {value} WHERE sequence = 7");

        var result = log.Verify();

        Assert.False(result.Ok);
        Assert.Equal(7, result.FirstBadPosition);
        Assert.Contains("edited", result.Problem);
        Assert.Equal(6, result.EntriesChecked);
    }

    [Fact]
    public void An_edited_stored_hash_is_reported_at_its_entry()
    {
        using var log = TwelveEntriesCheckpointedAt4And12();
        log.Sql("UPDATE audit_entries SET hash = zeroblob(32) WHERE sequence = 9");

        Assert.Equal(9, log.Verify().FirstBadPosition);
    }

    [Fact]
    public void A_deleted_middle_entry_is_reported_as_removed()
    {
        using var log = TwelveEntriesCheckpointedAt4And12();
        log.Sql("DELETE FROM audit_entries WHERE sequence = 6");

        var result = log.Verify();

        Assert.Equal(6, result.FirstBadPosition);
        Assert.Contains("removed", result.Problem);
    }

    [Fact]
    public void A_deleted_entry_with_later_entries_renumbered_is_reported_as_removed()
    {
        using var log = TwelveEntriesCheckpointedAt4And12();
        log.Sql("DELETE FROM audit_entries WHERE sequence = 6");
        log.Sql("UPDATE audit_entries SET sequence = -sequence WHERE sequence > 6");
        log.Sql("UPDATE audit_entries SET sequence = -sequence - 1 WHERE sequence < 0");

        var result = log.Verify();

        Assert.Equal(6, result.FirstBadPosition);
        Assert.Contains("removed", result.Problem);
    }

    [Fact]
    public void An_inserted_entry_is_reported_at_its_position_even_with_a_valid_hash()
    {
        using var log = TwelveEntriesCheckpointedAt4And12();
        var entries = AuditLog.ReadEntries(log.Connection);

        // Make room at 5 and insert a well-formed entry that links correctly to entry 4.
        log.Sql("UPDATE audit_entries SET sequence = -sequence WHERE sequence >= 5");
        log.Sql("UPDATE audit_entries SET sequence = -sequence + 1 WHERE sequence < 0");
        var forged = ForgedEntry(entries[3].Hash, 5, "activate", "attacker.v1");
        Insert(log, forged);

        var result = log.Verify();

        Assert.False(result.Ok);
        Assert.Equal(5, result.FirstBadPosition);
        Assert.Contains("inserted", result.Problem);
    }

    [Fact]
    public void Two_swapped_entries_are_reported_at_the_first_of_them()
    {
        using var log = TwelveEntriesCheckpointedAt4And12();
        log.Sql("UPDATE audit_entries SET sequence = -1 WHERE sequence = 8");
        log.Sql("UPDATE audit_entries SET sequence = 8 WHERE sequence = 9");
        log.Sql("UPDATE audit_entries SET sequence = 9 WHERE sequence = -1");

        var result = log.Verify();

        Assert.Equal(8, result.FirstBadPosition);
        Assert.Contains("reordered", result.Problem);
    }

    [Fact]
    public void A_truncated_tail_is_caught_by_a_checkpoint_beyond_it()
    {
        using var log = TwelveEntriesCheckpointedAt4And12();
        log.Sql("DELETE FROM audit_entries WHERE sequence > 9");

        var result = log.Verify();

        Assert.False(result.Ok);
        Assert.Equal(10, result.FirstBadPosition);
        Assert.Contains("truncated", result.Problem);
        Assert.Contains("checkpoint", result.Problem);
    }

    [Fact]
    public void A_truncated_tail_past_the_last_checkpoint_goes_unnoticed_but_is_counted_as_uncheckpointed()
    {
        // The documented limit: without a checkpoint beyond the cut, a shorter log is a valid log.
        using var log = new AuditTestLog();
        log.Fill(Count, 4);
        log.Sql("DELETE FROM audit_entries WHERE sequence > 9");

        var result = log.Verify();

        Assert.True(result.Ok);
        Assert.Equal(5, result.NotYetCheckpointed);
    }

    [Fact]
    public void A_rewritten_and_rehashed_chain_is_caught_by_the_next_checkpoint()
    {
        using var log = TwelveEntriesCheckpointedAt4And12();
        var entries = AuditLog.ReadEntries(log.Connection).ToList();

        // The attacker edits entry 7 and recomputes every hash after it: the chain itself is consistent.
        entries[6] = entries[6] with { Detail = "purpose=nothing-to-see" };
        for (var i = 6; i < entries.Count; i++)
            entries[i] = ForgedEntry(entries[i - 1].Hash, i + 1, entries[i].Event, entries[i].KeyId, entries[i].Detail, entries[i].Time);
        log.Sql("DELETE FROM audit_entries WHERE sequence >= 7");
        foreach (var entry in entries.Skip(6)) Insert(log, entry);

        var result = log.Verify();

        Assert.False(result.Ok);
        Assert.Equal(5, result.FirstBadPosition); // first entry after the last checkpoint that still holds
        Assert.Contains("rewritten", result.Problem);
    }

    [Fact]
    public void A_forged_checkpoint_signature_is_reported_at_its_sequence()
    {
        using var log = TwelveEntriesCheckpointedAt4And12();
        var signature = AuditLog.ReadCheckpoints(log.Connection)[0].Signature;
        signature[100] ^= 0x01;
        log.Sql("UPDATE audit_checkpoints SET signature = $signature WHERE sequence = 4", ("$signature", signature));

        var result = log.Verify();

        Assert.False(result.Ok);
        Assert.Equal(4, result.FirstBadPosition);
        Assert.Contains("signature", result.Problem);
        Assert.Equal(1, result.CheckpointsChecked);
    }

    [Fact]
    public void A_checkpoint_moved_to_another_entry_fails_its_signature()
    {
        using var log = TwelveEntriesCheckpointedAt4And12();
        var hash6 = AuditLog.ReadEntries(log.Connection)[5].Hash;
        log.Sql("UPDATE audit_checkpoints SET sequence = 6, hash = $hash WHERE sequence = 4", ("$hash", hash6));

        Assert.Equal(6, log.Verify().FirstBadPosition);
    }

    [Fact]
    public void A_checkpoint_by_an_untrusted_signer_is_rejected()
    {
        using var log = new AuditTestLog();
        log.Fill(5);
        using var intruder = AuditTestLog.Scheme.GenerateKey();
        log.Checkpoint(AuditTestLog.Start.AddHours(1), intruder, "intruder.v1");

        var result = log.Verify();

        Assert.False(result.Ok);
        Assert.Equal(5, result.FirstBadPosition);
        Assert.Contains("untrusted", result.Problem);
    }

    [Fact]
    public void A_checkpoint_under_a_trusted_id_but_another_key_is_rejected()
    {
        using var log = new AuditTestLog();
        log.Fill(5);
        using var intruder = AuditTestLog.Scheme.GenerateKey();
        log.Checkpoint(AuditTestLog.Start.AddHours(1), intruder, AuditTestLog.SignerId);

        var result = log.Verify();

        Assert.Equal(5, result.FirstBadPosition);
        Assert.Contains("different public key", result.Problem);
    }

    [Fact]
    public void The_earliest_problem_wins_when_there_are_several()
    {
        using var log = TwelveEntriesCheckpointedAt4And12();
        log.Sql("UPDATE audit_entries SET detail = 'x' WHERE sequence IN (3, 10)");
        log.Sql("UPDATE audit_checkpoints SET signature = zeroblob(length(signature)) WHERE sequence = 12");

        Assert.Equal(3, log.Verify().FirstBadPosition);
    }

    [Fact]
    public void Verification_never_throws_for_malformed_entries()
    {
        AuditEntry[] entries =
        [
            new(1, AuditTestLog.Start, "generate", null, "", [], []),
            new(2, AuditTestLog.Start, "\ud800", null, "", new byte[32], new byte[32]),
        ];
        AuditCheckpoint[] checkpoints = [new(0, [], AuditTestLog.Start, AuditTestLog.SignerId, "no-such-algorithm", [], [])];

        var result = AuditVerifier.Verify(entries, checkpoints, AuditTestLog.Trusted, CryptoProviders.Default);

        Assert.False(result.Ok);
        Assert.Equal(1, result.FirstBadPosition);
    }

    internal static AuditEntry ForgedEntry(byte[] previous, long sequence, string eventKind, string? keyId, string detail = "", DateTimeOffset? time = null)
    {
        var at = time ?? AuditTestLog.Start.AddDays(1);
        var hash = AuditFormat.EntryHash(previous, sequence, at.ToUnixTimeMilliseconds(), eventKind, keyId, detail)!;
        return new AuditEntry(sequence, at, eventKind, keyId, detail, previous, hash);
    }

    private static void Insert(AuditTestLog log, AuditEntry entry) =>
        log.Sql(
            "INSERT INTO audit_entries VALUES ($s, $t, $e, $k, $d, $p, $h)",
            ("$s", entry.Sequence),
            ("$t", entry.Time.ToUnixTimeMilliseconds()),
            ("$e", entry.Event),
            ("$k", (object?)entry.KeyId ?? DBNull.Value),
            ("$d", entry.Detail),
            ("$p", entry.PreviousHash),
            ("$h", entry.Hash));
}
