using Enigm.Keys.Model;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Enigm.Keys.Tests.KeyRing;

/// <summary>A key row deleted from keys.db outside Enigm is noticed by List and VerifyAudit.</summary>
public sealed class DeletedRowTests : IDisposable
{
    private readonly TestStore _store = new();

    public void Dispose() => _store.Dispose();

    private void Sql(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={_store.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    [Fact]
    public void A_deleted_row_is_listed_as_damaged_and_fails_audit_verification()
    {
        var victim = _store.Ring.Generate(KeyPurpose.DeviceSigning);
        var other = _store.Ring.Generate(KeyPurpose.ReleaseSigning);
        Assert.True(_store.Ring.VerifyAudit().Ok);

        Sql("DELETE FROM keys WHERE id = $id", ("$id", victim.Id));
        var ring = _store.Reopen();

        var listed = ring.List(out var damaged);
        Assert.Contains(victim.Id, damaged);
        Assert.Contains(listed, k => k.Id == other.Id);
        var audit = ring.VerifyAudit();
        Assert.False(audit.Ok);
        Assert.Contains(victim.Id, audit.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Deleting_the_row_and_the_log_tail_that_names_it_is_caught_by_the_key_set_commitment()
    {
        _store.Ring.Generate(KeyPurpose.DeviceSigning);
        var checkpointsBefore = _store.Ring.AuditCheckpoints().Count;
        var lastSequenceBefore = _store.Ring.AuditEntries()[^1].Sequence;
        var victim = _store.Ring.Generate(KeyPurpose.DeviceSigning);

        // Remove every trace the last operation left: its row, its audit entries and its checkpoints.
        Sql("DELETE FROM keys WHERE id = $id", ("$id", victim.Id));
        Sql("DELETE FROM audit_entries WHERE sequence > $s", ("$s", lastSequenceBefore));
        Sql("DELETE FROM audit_checkpoints WHERE id > $c", ("$c", checkpointsBefore));
        var ring = _store.Reopen();

        ring.List(out var damaged);
        Assert.NotEmpty(damaged);
        Assert.False(ring.VerifyAudit().Ok);
    }

    [Fact]
    public void Removing_the_commitment_itself_is_detected()
    {
        _store.Ring.Generate(KeyPurpose.DeviceSigning);
        Sql("DELETE FROM meta WHERE name = 'key_set_mac'");
        var ring = _store.Reopen();

        ring.List(out var damaged);
        Assert.NotEmpty(damaged);
        Assert.False(ring.VerifyAudit().Ok);
    }

    [Fact]
    public void An_intact_store_reports_nothing_after_every_kind_of_operation()
    {
        var ring = _store.Ring;
        var a = ring.Generate(KeyPurpose.DeviceSigning);
        ring.Rotate(a.Id);
        ring.GenerateBatch(KeyPurpose.OneTimePrekey, 3);
        var b = ring.Generate(KeyPurpose.ReleaseSigning);
        ring.Destroy(ring.Revoke(b.Id, "test").Record.Id);
        ring.SetRotationRule(KeyPurpose.SignedPrekey, new RotationRule(TimeSpan.FromDays(3), TimeSpan.FromDays(1)));
        ring.ChangeProtector(TestStore.Protector("changed passphrase: correct horse battery staple"));

        ring.List(out var damaged);
        Assert.Empty(damaged);
        Assert.True(ring.VerifyAudit().Ok);
    }
}
