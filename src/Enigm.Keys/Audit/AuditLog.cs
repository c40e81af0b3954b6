using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Errors;
using Microsoft.Data.Sqlite;

namespace Enigm.Keys.Audit;

/// <summary>
/// The append-only, hash-chained audit log kept in the key store's SQLite database (tables
/// <c>audit_entries</c> and <c>audit_checkpoints</c>). Entry n stores Hash_n =
/// SHA-256("enigm-keys/audit/v1" ‖ Hash_{n-1} ‖ CBOR [n, unix ms, event, key id, detail]) with
/// Hash_0 = 32 zero bytes, so editing, removing, inserting or reordering an entry breaks the chain;
/// signed checkpoints pin the chain head so that a writer who re-hashes the whole chain is caught too.
/// Writes happen inside the caller's transaction, next to the key change they record.
/// </summary>
public static class AuditLog
{
    public static void EnsureSchema(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS audit_entries (
                sequence      INTEGER PRIMARY KEY NOT NULL,
                time_ms       INTEGER NOT NULL,
                event         TEXT    NOT NULL,
                key_id        TEXT,
                detail        TEXT    NOT NULL,
                previous_hash BLOB    NOT NULL,
                hash          BLOB    NOT NULL
            ) STRICT;
            CREATE TABLE IF NOT EXISTS audit_checkpoints (
                id                INTEGER PRIMARY KEY NOT NULL,
                sequence          INTEGER NOT NULL,
                hash              BLOB    NOT NULL,
                time_ms           INTEGER NOT NULL,
                signer_key_id     TEXT    NOT NULL,
                signer_algorithm  TEXT    NOT NULL,
                signer_public_key BLOB    NOT NULL,
                signature         BLOB    NOT NULL
            ) STRICT;
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Appends one event. The chain head is read inside <paramref name="transaction"/> and the sequence is
    /// the table's primary key, so two writers can never both extend the same head (the second one's
    /// insert fails or it waits for the first transaction). Refuses to extend a head whose hash is damaged.
    /// </summary>
    public static AuditEntry Append(SqliteConnection connection, SqliteTransaction transaction, string eventKind, string? keyId, string detail, DateTimeOffset time)
    {
        CheckTransaction(connection, transaction);
        ThrowIfProblem(nameof(eventKind), AuditFormat.EventProblem(eventKind));
        if (keyId is not null) ThrowIfProblem(nameof(keyId), AuditFormat.TextProblem("key id", keyId, AuditFormat.MaxKeyIdLength, allowEmpty: false));
        ThrowIfProblem(nameof(detail), AuditFormat.TextProblem("detail", detail, AuditFormat.MaxDetailLength, allowEmpty: true));
        var unixMs = ToUnixMilliseconds(time, nameof(time));

        var (lastSequence, previousHash) = ReadHead(connection, transaction);
        var sequence = lastSequence + 1;
        var hash = AuditFormat.EntryHash(previousHash, sequence, unixMs, eventKind, keyId, detail)!;

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO audit_entries (sequence, time_ms, event, key_id, detail, previous_hash, hash)
            VALUES ($sequence, $time, $event, $keyId, $detail, $previous, $hash)
            """;
        insert.Parameters.AddWithValue("$sequence", sequence);
        insert.Parameters.AddWithValue("$time", unixMs);
        insert.Parameters.AddWithValue("$event", eventKind);
        insert.Parameters.AddWithValue("$keyId", (object?)keyId ?? DBNull.Value);
        insert.Parameters.AddWithValue("$detail", detail);
        insert.Parameters.AddWithValue("$previous", previousHash);
        insert.Parameters.AddWithValue("$hash", hash);
        insert.ExecuteNonQuery();

        return new AuditEntry(sequence, AuditFormat.FromUnixMilliseconds(unixMs), eventKind, keyId, detail, previousHash, hash);
    }

    /// <summary>Every entry in sequence order, exactly as stored (nothing is checked here; see <see cref="AuditVerifier"/>).</summary>
    public static IReadOnlyList<AuditEntry> ReadEntries(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sequence, time_ms, event, key_id, detail, previous_hash, hash FROM audit_entries ORDER BY sequence";
        return ReadEntryRows(command);
    }

    /// <summary>
    /// Signs the current chain head with <paramref name="signer"/>. Before signing, the entries since the
    /// previous checkpoint are re-hashed so that a damaged chain is never blessed
    /// (<see cref="AuditLogTamperedException"/> otherwise). A checkpoint needs at least one entry.
    /// </summary>
    public static AuditCheckpoint WriteCheckpoint(SqliteConnection connection, SqliteTransaction transaction, ISignatureScheme scheme, PrivateKey signer, string signerKeyId, DateTimeOffset time)
    {
        CheckTransaction(connection, transaction);
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(signer);
        if (signer.Algorithm != scheme.Algorithm)
            throw new ArgumentException($"Signer key is {signer.Algorithm.Name}, scheme is {scheme.Algorithm.Name}.", nameof(signer));
        ThrowIfProblem(nameof(signerKeyId), AuditFormat.TextProblem("signer key id", signerKeyId, AuditFormat.MaxKeyIdLength, allowEmpty: false));
        var unixMs = ToUnixMilliseconds(time, nameof(time));

        var head = CheckUncheckpointedTail(connection, transaction);
        var algorithm = scheme.Algorithm.Name;
        var message = AuditFormat.CheckpointMessage(head.Sequence, head.Hash, unixMs, signerKeyId, algorithm);
        var signature = scheme.Sign(signer, message);
        var checkpoint = new AuditCheckpoint(head.Sequence, head.Hash, AuditFormat.FromUnixMilliseconds(unixMs), signerKeyId, algorithm, [.. signer.PublicKey], signature);

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO audit_checkpoints (sequence, hash, time_ms, signer_key_id, signer_algorithm, signer_public_key, signature)
            VALUES ($sequence, $hash, $time, $signerKeyId, $algorithm, $publicKey, $signature)
            """;
        insert.Parameters.AddWithValue("$sequence", checkpoint.Sequence);
        insert.Parameters.AddWithValue("$hash", checkpoint.Hash);
        insert.Parameters.AddWithValue("$time", unixMs);
        insert.Parameters.AddWithValue("$signerKeyId", signerKeyId);
        insert.Parameters.AddWithValue("$algorithm", algorithm);
        insert.Parameters.AddWithValue("$publicKey", checkpoint.SignerPublicKey);
        insert.Parameters.AddWithValue("$signature", signature);
        insert.ExecuteNonQuery();
        return checkpoint;
    }

    /// <summary>Every checkpoint in the order written.</summary>
    public static IReadOnlyList<AuditCheckpoint> ReadCheckpoints(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sequence, hash, time_ms, signer_key_id, signer_algorithm, signer_public_key, signature FROM audit_checkpoints ORDER BY id";
        using var reader = command.ExecuteReader();
        var checkpoints = new List<AuditCheckpoint>();
        while (reader.Read())
        {
            checkpoints.Add(new AuditCheckpoint(
                reader.GetInt64(0),
                ReadBlob(reader, 1),
                StoredTime(reader.GetInt64(2), reader.GetInt64(0)),
                reader.GetString(3),
                reader.GetString(4),
                ReadBlob(reader, 5),
                ReadBlob(reader, 6)));
        }

        return checkpoints;
    }

    private static (long Sequence, byte[] Hash) ReadHead(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT sequence, hash FROM audit_entries ORDER BY sequence DESC LIMIT 1";
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return (0, AuditFormat.ZeroHash());
        var sequence = reader.GetInt64(0);
        var hash = ReadBlob(reader, 1);
        if (hash.Length != AuditFormat.HashSize)
            throw new AuditLogTamperedException(sequence, "the last entry's hash is not 32 bytes; run the audit verifier");
        return (sequence, hash);
    }

    /// <summary>
    /// Re-hashes the entries from the latest checkpoint (by sequence) to the head; returns the head.
    /// The checkpoint's signature is not checked here (the writer does not know whom to trust).
    /// </summary>
    private static AuditEntry CheckUncheckpointedTail(SqliteConnection connection, SqliteTransaction transaction)
    {
        long from = 1;
        byte[]? pinned = null;
        using (var last = connection.CreateCommand())
        {
            last.Transaction = transaction;
            last.CommandText = "SELECT sequence, hash FROM audit_checkpoints ORDER BY sequence DESC, id DESC LIMIT 1";
            using var reader = last.ExecuteReader();
            if (reader.Read())
            {
                from = reader.GetInt64(0);
                pinned = ReadBlob(reader, 1);
            }
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT sequence, time_ms, event, key_id, detail, previous_hash, hash FROM audit_entries WHERE sequence >= $from ORDER BY sequence";
        command.Parameters.AddWithValue("$from", from);
        var entries = ReadEntryRows(command);
        if (entries.Count == 0)
        {
            throw pinned is null
                ? new InvalidOperationException("The audit log is empty; append an entry before writing a checkpoint.")
                : new AuditLogTamperedException(from, $"entry {from}, covered by a checkpoint, is missing");
        }

        var start = 0;
        var previous = AuditFormat.ZeroHash();
        if (pinned is not null)
        {
            if (entries[0].Sequence != from || !AuditFormat.SameBytes(entries[0].Hash, pinned))
                throw new AuditLogTamperedException(from, "the entry no longer matches the hash its checkpoint pinned");
            start = 1;
            previous = pinned;
        }

        var failure = AuditChain.FirstBreak(entries, start, from + start, previous);
        if (failure is { } f)
            throw new AuditLogTamperedException(f.Position, f.Problem);
        return entries[^1];
    }

    private static List<AuditEntry> ReadEntryRows(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var entries = new List<AuditEntry>();
        while (reader.Read())
        {
            var sequence = reader.GetInt64(0);
            entries.Add(new AuditEntry(
                sequence,
                StoredTime(reader.GetInt64(1), sequence),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4),
                ReadBlob(reader, 5),
                ReadBlob(reader, 6)));
        }

        return entries;
    }

    private static byte[] ReadBlob(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? [] : (byte[])reader.GetValue(ordinal);

    /// <summary>A stored time outside DateTimeOffset's range can only come from tampering with the file.</summary>
    private static DateTimeOffset StoredTime(long unixMs, long sequence) =>
        unixMs >= 0 && unixMs <= AuditFormat.MaxUnixMilliseconds
            ? AuditFormat.FromUnixMilliseconds(unixMs)
            : throw new AuditLogTamperedException(sequence, $"stored time {unixMs} is out of range");

    private static long ToUnixMilliseconds(DateTimeOffset time, string parameter)
    {
        var unixMs = time.ToUnixTimeMilliseconds();
        return unixMs >= 0 ? unixMs : throw new ArgumentOutOfRangeException(parameter, "Audit times start at the Unix epoch.");
    }

    private static void CheckTransaction(SqliteConnection connection, SqliteTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(transaction);
        if (!ReferenceEquals(transaction.Connection, connection))
            throw new ArgumentException("The transaction belongs to another connection.", nameof(transaction));
    }

    private static void ThrowIfProblem(string parameter, string? problem)
    {
        if (problem is not null) throw new ArgumentException($"Audit {problem}.", parameter);
    }
}
