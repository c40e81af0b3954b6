using Enigm.Keys.Errors;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;
using Microsoft.Data.Sqlite;

namespace Enigm.Keys.Storage;

/// <summary>A stored key row: the record, its wrapped material (null once destroyed) and its row MAC.</summary>
public sealed record KeyRow(KeyRecord Record, WrappedKey? Wrapped, byte[] Mac);

/// <summary>Reads and writes <c>keys</c> rows. No policy here: the <see cref="KeyRing"/> decides.</summary>
public static class KeyRows
{
    private const string Columns =
        "id, series_id, version, purpose, suite_id, algorithm, state, public_key, created_at, activated_at, deactivated_at, " +
        "expires_at, cryptoperiod_s, grace_until, predecessor_id, successor_id, reason, wrap_nonce, wrapped, row_mac";

    public static void Insert(KeyStoreFile file, SqliteTransaction tx, KeyRow row)
    {
        using var command = file.Connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"INSERT INTO keys ({Columns}) VALUES ($id, $series, $version, $purpose, $suite, $alg, $state, $pub, $created, " +
            "$activated, $deactivated, $expires, $period, $grace, $pred, $succ, $reason, $nonce, $wrapped, $mac)";
        Bind(command, row);
        command.ExecuteNonQuery();
    }

    /// <summary>Updates everything but the wrapped material (which only protector changes and destroy touch).</summary>
    public static void UpdateMetadata(KeyStoreFile file, SqliteTransaction tx, KeyRecord record, byte[] mac)
    {
        using var command = file.Connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "UPDATE keys SET state = $state, activated_at = $activated, deactivated_at = $deactivated, expires_at = $expires, " +
            "grace_until = $grace, predecessor_id = $pred, successor_id = $succ, reason = $reason, row_mac = $mac WHERE id = $id";
        Bind(command, new KeyRow(record, null, mac));
        if (command.ExecuteNonQuery() != 1) throw new Errors.KeyNotFoundException(record.Id);
    }

    public static void UpdateWrapped(KeyStoreFile file, SqliteTransaction tx, string id, WrappedKey? wrapped, byte[] mac)
    {
        using var command = file.Connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "UPDATE keys SET wrap_nonce = $nonce, wrapped = $wrapped, row_mac = $mac WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$nonce", (object?)wrapped?.Nonce ?? DBNull.Value);
        command.Parameters.AddWithValue("$wrapped", (object?)wrapped?.Ciphertext ?? DBNull.Value);
        command.Parameters.AddWithValue("$mac", mac);
        if (command.ExecuteNonQuery() != 1) throw new Errors.KeyNotFoundException(id);
    }

    /// <summary>
    /// Overwrites the wrapped material with zeros of the same length in place, then removes it: with
    /// secure_delete the old cell content is zeroed on the page rather than left in free space.
    /// </summary>
    public static void EraseWrapped(KeyStoreFile file, SqliteTransaction tx, string id)
    {
        using var command = file.Connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "UPDATE keys SET wrapped = zeroblob(length(wrapped)), wrap_nonce = zeroblob(length(wrap_nonce)) WHERE id = $id AND wrapped IS NOT NULL;" +
            "UPDATE keys SET wrapped = NULL, wrap_nonce = NULL WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    public static IReadOnlyList<KeyRow> ReadAll(KeyStoreFile file) => Query(file, null, "ORDER BY series_id, version");

    public static KeyRow? Find(KeyStoreFile file, string id) =>
        Query(file, id, "WHERE id = $p").SingleOrDefault();

    /// <summary>Active rows of one purpose (unauthenticated: the caller checks each row's MAC).</summary>
    public static IReadOnlyList<KeyRow> ActiveOfPurpose(KeyStoreFile file, KeyPurpose purpose) =>
        Query(file, purpose.ToName(), "WHERE purpose = $p AND state = 'active'");

    private static List<KeyRow> Query(KeyStoreFile file, string? parameter, string clause)
    {
        using var command = file.Connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM keys {clause}";
        if (parameter is not null) command.Parameters.AddWithValue("$p", parameter);
        using var reader = command.ExecuteReader();
        var rows = new List<KeyRow>();
        while (reader.Read())
        {
            var rowId = reader.GetString(0);
            try
            {
                rows.Add(ReadRow(reader));
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or InvalidOperationException)
            {
                // A row edited into something unparsable is reported like any failed integrity check.
                rows.Add(new KeyRow(Placeholder(rowId), null, []));
            }
        }

        return rows;
    }

    private static KeyRow ReadRow(SqliteDataReader r)
    {
        if (!KeyPurposeNames.TryParse(r.GetString(3), out var purpose)) throw new FormatException("purpose");
        var record = new KeyRecord
        {
            Id = r.GetString(0),
            SeriesId = r.GetString(1),
            Version = r.GetInt32(2),
            Purpose = purpose,
            SuiteId = checked((ushort)r.GetInt32(4)),
            Algorithm = r.GetString(5),
            State = KeyStateNames.Parse(r.GetString(6)),
            PublicKey = (byte[])r.GetValue(7),
            CreatedAt = Time(r, 8)!.Value,
            ActivatedAt = Time(r, 9),
            DeactivatedAt = Time(r, 10),
            ExpiresAt = Time(r, 11),
            Cryptoperiod = TimeSpan.FromSeconds(r.GetInt64(12)),
            GraceUntil = Time(r, 13),
            PredecessorId = r.IsDBNull(14) ? null : r.GetString(14),
            SuccessorId = r.IsDBNull(15) ? null : r.GetString(15),
            Reason = r.IsDBNull(16) ? null : r.GetString(16),
        };
        var wrapped = r.IsDBNull(18) ? null : new WrappedKey((byte[])r.GetValue(17), (byte[])r.GetValue(18));
        return new KeyRow(record, wrapped, (byte[])r.GetValue(19));
    }

    /// <summary>Stand-in for an unparsable row: carries only the id; its empty MAC never verifies.</summary>
    private static KeyRecord Placeholder(string id) => new()
    {
        Id = id,
        SeriesId = id,
        Version = 0,
        Purpose = KeyPurpose.Storage,
        SuiteId = 0,
        Algorithm = "?",
        State = KeyState.Destroyed,
        PublicKey = [],
        CreatedAt = DateTimeOffset.UnixEpoch,
        Cryptoperiod = TimeSpan.Zero,
    };

    private static DateTimeOffset? Time(SqliteDataReader r, int i) =>
        r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));

    private static object Ms(DateTimeOffset? t) => t is { } v ? v.ToUnixTimeMilliseconds() : DBNull.Value;

    private static void Bind(SqliteCommand c, KeyRow row)
    {
        var k = row.Record;
        c.Parameters.AddWithValue("$id", k.Id);
        c.Parameters.AddWithValue("$series", k.SeriesId);
        c.Parameters.AddWithValue("$version", k.Version);
        c.Parameters.AddWithValue("$purpose", k.Purpose.ToName());
        c.Parameters.AddWithValue("$suite", (int)k.SuiteId);
        c.Parameters.AddWithValue("$alg", k.Algorithm);
        c.Parameters.AddWithValue("$state", k.State.ToName());
        c.Parameters.AddWithValue("$pub", k.PublicKey);
        c.Parameters.AddWithValue("$created", Ms(k.CreatedAt));
        c.Parameters.AddWithValue("$activated", Ms(k.ActivatedAt));
        c.Parameters.AddWithValue("$deactivated", Ms(k.DeactivatedAt));
        c.Parameters.AddWithValue("$expires", Ms(k.ExpiresAt));
        c.Parameters.AddWithValue("$period", (long)k.Cryptoperiod.TotalSeconds);
        c.Parameters.AddWithValue("$grace", Ms(k.GraceUntil));
        c.Parameters.AddWithValue("$pred", (object?)k.PredecessorId ?? DBNull.Value);
        c.Parameters.AddWithValue("$succ", (object?)k.SuccessorId ?? DBNull.Value);
        c.Parameters.AddWithValue("$reason", (object?)k.Reason ?? DBNull.Value);
        c.Parameters.AddWithValue("$nonce", (object?)row.Wrapped?.Nonce ?? DBNull.Value);
        c.Parameters.AddWithValue("$wrapped", (object?)row.Wrapped?.Ciphertext ?? DBNull.Value);
        c.Parameters.AddWithValue("$mac", row.Mac);
    }
}
