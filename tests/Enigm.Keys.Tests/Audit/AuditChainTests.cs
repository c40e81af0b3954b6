using System.Formats.Cbor;
using System.Security.Cryptography;
using Enigm.Keys.Audit;
using Enigm.Keys.Errors;
using Xunit;

namespace Enigm.Keys.Tests.Audit;

public sealed class AuditChainTests
{
    [Fact]
    public void A_chain_of_many_entries_with_checkpoints_verifies()
    {
        using var log = new AuditTestLog();
        log.Fill(60, 20, 40);
        log.Append("rotate", "key-7.v1", "successor=key-7.v2", AuditTestLog.Start.AddHours(3));

        var result = log.Verify();

        Assert.True(result.Ok, result.Problem);
        Assert.Equal(61, result.EntriesChecked);
        Assert.Equal(2, result.CheckpointsChecked);
        Assert.Equal(21, result.NotYetCheckpointed);
        Assert.Null(result.FirstBadPosition);
    }

    [Fact]
    public void Sequences_start_at_one_and_each_entry_links_to_the_previous_hash()
    {
        using var log = new AuditTestLog();
        log.Fill(5);
        var entries = AuditLog.ReadEntries(log.Connection);

        Assert.Equal([1L, 2, 3, 4, 5], entries.Select(e => e.Sequence));
        Assert.Equal(new byte[32], entries[0].PreviousHash);
        for (var i = 1; i < entries.Count; i++)
            Assert.Equal(entries[i - 1].Hash, entries[i].PreviousHash);
    }

    [Fact]
    public void Entry_hash_is_sha256_of_label_previous_hash_and_deterministic_cbor()
    {
        using var log = new AuditTestLog();
        var time = new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
        var first = log.Append("generate", null, "purpose=root", time);

        // Written out independently of the implementation: docs/keys-audit.md, "Chain".
        var cbor = new CborWriter(CborConformanceMode.Canonical);
        cbor.WriteStartArray(5);
        cbor.WriteInt64(1);
        cbor.WriteInt64(time.ToUnixTimeMilliseconds());
        cbor.WriteTextString("generate");
        cbor.WriteNull();
        cbor.WriteTextString("purpose=root");
        cbor.WriteEndArray();
        byte[] input = [.. "enigm-keys/audit/v1"u8, .. new byte[32], .. cbor.Encode()];

        Assert.Equal(SHA256.HashData(input), first.Hash);
    }

    [Fact]
    public void Append_returns_the_entry_as_it_is_read_back_with_millisecond_time()
    {
        using var log = new AuditTestLog();
        var appended = log.Append("suspend", "key-1.v1", "reason=investigation", AuditTestLog.Start.AddTicks(9_999));

        var read = Assert.Single(AuditLog.ReadEntries(log.Connection));

        Assert.Equal(AuditTestLog.Start, read.Time);
        Assert.Equal(appended.Time, read.Time);
        Assert.Equal(appended.Hash, read.Hash);
        Assert.Equal(("suspend", "key-1.v1", "reason=investigation"), (read.Event, read.KeyId, read.Detail));
    }

    [Fact]
    public void Append_rejects_unusable_fields()
    {
        using var log = new AuditTestLog();
        using var transaction = log.Connection.BeginTransaction();

        Assert.Throws<ArgumentException>(() => AuditLog.Append(log.Connection, transaction, "", null, "", AuditTestLog.Start));
        Assert.Throws<ArgumentException>(() => AuditLog.Append(log.Connection, transaction, "gen\u001b[2J", null, "", AuditTestLog.Start));
        Assert.Throws<ArgumentException>(() => AuditLog.Append(log.Connection, transaction, "generate", null, new string('x', 4097), AuditTestLog.Start));
        Assert.Throws<ArgumentException>(() => AuditLog.Append(log.Connection, transaction, "generate", "\ud800", "", AuditTestLog.Start));
        Assert.Throws<ArgumentOutOfRangeException>(() => AuditLog.Append(log.Connection, transaction, "generate", null, "", DateTimeOffset.UnixEpoch.AddDays(-1)));
    }

    [Fact]
    public void Writers_on_two_connections_extend_one_chain()
    {
        var path = Path.Combine(Path.GetTempPath(), $"enigm-audit-{Guid.NewGuid():N}.db");
        try
        {
            using (var a = Open(path))
            using (var b = Open(path))
            {
                AuditLog.EnsureSchema(a);
                for (var i = 0; i < 6; i++)
                {
                    var connection = i % 2 == 0 ? a : b;
                    using var transaction = connection.BeginTransaction();
                    AuditLog.Append(connection, transaction, "generate", $"k{i}", "", AuditTestLog.Start);
                    transaction.Commit();
                }

                var result = AuditVerifier.Verify(AuditLog.ReadEntries(a), [], AuditTestLog.Trusted, Enigm.Crypto.Providers.CryptoProviders.Default);
                Assert.True(result.Ok, result.Problem);
                Assert.Equal(6, result.EntriesChecked);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    [Fact]
    public void A_second_writer_waits_for_the_first_instead_of_forking_the_chain()
    {
        var path = Path.Combine(Path.GetTempPath(), $"enigm-audit-{Guid.NewGuid():N}.db");
        try
        {
            using var a = Open(path);
            using var b = Open(path);
            AuditLog.EnsureSchema(a);
            using (var first = a.BeginTransaction())
            {
                AuditLog.Append(a, first, "generate", "k1", "", AuditTestLog.Start);

                // The head is read inside a write transaction, so b cannot even start one until a is done.
                var blocked = Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => b.BeginTransaction());
                Assert.Equal(5, blocked.SqliteErrorCode); // SQLITE_BUSY

                // A deferred transaction may read the same head, but cannot write on top of it.
                using (var deferred = b.BeginTransaction(deferred: true))
                {
                    var stale = Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => AuditLog.Append(b, deferred, "generate", "k2", "", AuditTestLog.Start));
                    Assert.Equal(5, stale.SqliteErrorCode);
                }

                first.Commit();
            }

            using (var second = b.BeginTransaction())
            {
                Assert.Equal(2, AuditLog.Append(b, second, "generate", "k2", "", AuditTestLog.Start).Sequence);
                second.Commit();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    [Fact]
    public void Checkpoint_covers_the_head_and_names_its_signer()
    {
        using var log = new AuditTestLog();
        log.Fill(3);
        var checkpoint = log.Checkpoint(AuditTestLog.Start.AddHours(1));

        Assert.Equal(3, checkpoint.Sequence);
        Assert.Equal(AuditLog.ReadEntries(log.Connection)[^1].Hash, checkpoint.Hash);
        Assert.Equal("id-MLDSA65-Ed25519-SHA512", checkpoint.SignerAlgorithm);
        Assert.Equal(AuditTestLog.Signer.PublicKey, checkpoint.SignerPublicKey);
        var stored = Assert.Single(AuditLog.ReadCheckpoints(log.Connection));
        Assert.Equal(checkpoint.Signature, stored.Signature);
        Assert.Equal(checkpoint.Time, stored.Time);
    }

    [Fact]
    public void Checkpoint_of_an_empty_log_is_refused()
    {
        using var log = new AuditTestLog();
        Assert.Throws<InvalidOperationException>(() => log.Checkpoint(AuditTestLog.Start));
    }

    [Fact]
    public void Checkpoint_refuses_to_sign_a_broken_chain()
    {
        using var log = new AuditTestLog();
        log.Fill(6, 2);
        log.Sql("UPDATE audit_entries SET detail = 'nothing happened' WHERE sequence = 4");

        var error = Assert.Throws<AuditLogTamperedException>(() => log.Checkpoint(AuditTestLog.Start.AddHours(1)));
        Assert.Equal(4, error.Position);
        Assert.Single(AuditLog.ReadCheckpoints(log.Connection));
    }

    private static Microsoft.Data.Sqlite.SqliteConnection Open(string path)
    {
        var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False;Default Timeout=1");
        connection.Open();
        return connection;
    }
}
