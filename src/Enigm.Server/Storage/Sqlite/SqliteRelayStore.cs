using Enigm.Relay;
using Enigm.Trust.Transparency;
using Microsoft.Data.Sqlite;
using static Enigm.Server.Storage.Sqlite.SqliteCommands;

namespace Enigm.Server.Storage.Sqlite;

/// <summary>
/// <see cref="IRelayStore"/> in one SQLite file (the embedded default: one relay node). WAL journal; a write is
/// acknowledged only after the WAL holding its commit is fsynced (<see cref="WalSyncer"/>: the same guarantee as
/// <c>synchronous=FULL</c>, with the fsync pipelined behind the next batch), so an acknowledged submit survives a
/// crash or power loss. One writer connection with group commit (<see cref="SqliteWriter"/>) and a pool of
/// read-only connections (<see cref="SqliteReaders"/>). Signals stay in this process. docs/deployment.md explains
/// the settings.
/// </summary>
public sealed partial class SqliteRelayStore : IRelayStore
{
    private readonly SqliteWriter _writer;
    private readonly SqliteReaders _readers;
    private readonly RelaySignalHub _signals = new();
    private readonly SqliteReadCache<StoredAccount> _accounts = new();
    private readonly SqliteReadCache<StoredToken> _tokens = new();
    private readonly MailboxDepths _depths = new();
    private readonly string _path;

    /// <summary>Opens (creating if needed) the database file at <paramref name="path"/>; call <see cref="MigrateAsync"/> before use.</summary>
    public SqliteRelayStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = Path.GetFullPath(path);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            // WAL: readers do not block the writer. NORMAL: COMMIT does not fsync; the writer's WalSyncer fsyncs the WAL
            // after each group commit and only then acknowledges its durable writes (as durable as FULL, see WalSyncer).
            using (var mode = connection.CreateCommand())
            {
                mode.CommandText = "PRAGMA journal_mode = WAL";
                if (mode.ExecuteScalar() is not string journal || !journal.Equals("wal", StringComparison.OrdinalIgnoreCase))
                    throw new SqliteException("the file system does not support SQLite's WAL mode", 1);
            }

            Execute(connection, null, "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
        }
        catch (SqliteException e)
        {
            SqliteCommands.Release(connection);
            connection.Dispose();
            throw new RelayStoreException($"the relay database {_path} cannot be opened: {e.Message}", e);
        }

        _writer = new SqliteWriter(connection, _path, _depths);
        _readers = new SqliteReaders(connectionString);
        TransparencyTree = new SqliteTransparencyTree(_writer, _readers);
        Policy = new Enigm.Server.Storage.Policy.SqlitePolicyStore(_writer, _readers); // issue 14: organisation policy store (own tables)
    }

    public string Kind => "sqlite";

    public ITransparencyLogStore TransparencyTree { get; }

    public Enigm.Server.Storage.Policy.IPolicyStore Policy { get; }

    public Task MigrateAsync(CancellationToken ct = default) =>
        _writer.WriteAsync((c, tx) =>
        {
            var version = Scalar(c, tx, "PRAGMA user_version");
            if (version > SqliteSchema.Version)
                throw new RelayStoreException($"the relay database {_path} has schema version {version}, newer than this relay's {SqliteSchema.Version}");
            Execute(c, tx, SqliteSchema.Create);
            if (Scalar(c, tx, SqliteSchema.PayloadColumnExists) == 0) Execute(c, tx, SqliteSchema.AddPayloadColumn);
            if (Scalar(c, tx, SqliteSchema.HeadPendingColumnExists) == 0) Execute(c, tx, SqliteSchema.AddHeadPendingColumn);
            Execute(c, tx, SqliteSchema.SharedPayloads);
            Execute(c, tx, SqliteSchema.DropDepthTriggers);
            LoadDepths(c, tx);
            Enigm.Server.Storage.Policy.SqlitePolicyStore.CreateTables(c, tx); // issue 14: organisation policy tables
            Execute(c, tx, $"PRAGMA user_version = {SqliteSchema.Version}");
            return true;
        }, ct);

    private void LoadDepths(SqliteConnection c, SqliteTransaction tx)
    {
        var depths = new List<(string, string, long, long)>();
        using (var command = Command(c, tx, SqliteSchema.CountDepths))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read()) depths.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        _depths.Load(depths);
    }

    // --- accounts ---

    public Task<bool> CreateAccountAsync(string account, byte[] deviceLog, IReadOnlyList<StoredDevice> devices, DateTimeOffset now, CancellationToken ct = default) =>
        ChangeAccountAsync(_writer.WriteAsync((c, tx) =>
        {
            if (Execute(c, tx, "INSERT OR IGNORE INTO accounts (account, device_log, log_entries, created_at, head_pending) VALUES ($p0, $p1, 1, $p2, 1)", account, deviceLog, Millis(now)) == 0)
                return false;
            WriteDevices(c, tx, account, devices);
            return true;
        }, ct));

    public Task<StoredAccount?> GetAccountAsync(string account, CancellationToken ct = default) =>
        Task.FromResult(_accounts.GetOrRead(account, () => _readers.Read(c => ReadAccount(c, account))));

    public Task<bool> ReplaceDeviceLogAsync(string account, int expectedEntries, byte[] newLog, int newEntries, IReadOnlyList<StoredDevice> devices, CancellationToken ct = default) =>
        ChangeAccountAsync(_writer.WriteAsync((c, tx) =>
        {
            if (Execute(c, tx, "UPDATE accounts SET device_log = $p0, log_entries = $p1, head_pending = 1 WHERE account = $p2 AND log_entries = $p3", newLog, newEntries, account, expectedEntries) == 0)
                return false;
            WriteDevices(c, tx, account, devices);
            return true;
        }, ct));

    public Task<bool> SetDisabledAsync(string account, bool disabled, CancellationToken ct = default) =>
        ChangeAccountAsync(_writer.WriteAsync((c, tx) => Execute(c, tx, "UPDATE accounts SET disabled = $p0 WHERE account = $p1", disabled ? 1 : 0, account) > 0, ct));

    /// <summary>Drops cached accounts once an account write is over (committed or failed), before its caller continues.</summary>
    private Task<bool> ChangeAccountAsync(Task<bool> write) => AfterWriteAsync(write, _accounts.Changed);

    /// <summary>Drops cached tokens once a token write is over (committed or failed), before its caller continues.</summary>
    private Task<int> ChangeTokensAsync(Task<int> write) => AfterWriteAsync(write, _tokens.Changed);

    private static async Task<TResult> AfterWriteAsync<TResult>(Task<TResult> write, Action changed)
    {
        try
        {
            return await write.ConfigureAwait(false);
        }
        finally
        {
            changed();
        }
    }

    /// <summary>A token's owner as stored (cached by <see cref="SqliteReadCache{T}"/>; expiry is checked on every use).</summary>
    private sealed record StoredToken(string Account, string Device, long ExpiresAtMillis);

    public Task<IReadOnlyList<StoredAccount>> ListAccountsAsync(int limit, string? after, CancellationToken ct = default) =>
        Task.FromResult(_readers.Read(c =>
        {
            var names = new List<string>();
            using (var command = Command(c, null, "SELECT account FROM accounts WHERE account > $p0 ORDER BY account LIMIT $p1", after ?? "", Math.Max(0, limit)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read()) names.Add(reader.GetString(0));
            }

            return (IReadOnlyList<StoredAccount>)[.. names.Select(n => ReadAccount(c, n)).OfType<StoredAccount>()];
        }));

    private static void WriteDevices(SqliteConnection c, SqliteTransaction tx, string account, IReadOnlyList<StoredDevice> devices)
    {
        Execute(c, tx, "DELETE FROM devices WHERE account = $p0", account);
        foreach (var device in devices)
            Execute(c, tx, "INSERT OR REPLACE INTO devices (account, device, revoked) VALUES ($p0, $p1, $p2)", account, device.Device, device.Revoked ? 1 : 0);
    }

    private static StoredAccount? ReadAccount(SqliteConnection c, string account)
    {
        byte[] log;
        int entries;
        DateTimeOffset created;
        bool disabled;
        using (var command = Command(c, null, "SELECT device_log, log_entries, created_at, disabled FROM accounts WHERE account = $p0", account))
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read()) return null;
            log = (byte[])reader[0];
            entries = reader.GetInt32(1);
            created = Time(reader.GetInt64(2));
            disabled = reader.GetInt64(3) != 0;
        }

        var devices = new List<StoredDevice>();
        using (var command = Command(c, null, "SELECT device, revoked FROM devices WHERE account = $p0 ORDER BY device", account))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read()) devices.Add(new StoredDevice(reader.GetString(0), reader.GetInt64(1) != 0));
        }

        return new StoredAccount(account, log, entries, created, disabled, devices);
    }

    // --- authentication ---

    public Task StoreChallengeAsync(byte[] challengeHash, string account, string device, DateTimeOffset expiresAt, CancellationToken ct = default) =>
        _writer.WriteAsync((c, tx) => Execute(c, tx, "INSERT OR REPLACE INTO challenges (hash, account, device, expires_at) VALUES ($p0, $p1, $p2, $p3)", challengeHash, account, device, Millis(expiresAt)), ct);

    public async Task<(string Account, string Device)?> TakeChallengeAsync(byte[] challengeHash, DateTimeOffset now, CancellationToken ct = default) =>
        await _writer.WriteAsync<(string, string)?>((c, tx) =>
        {
            // Deleted whether or not it expired: a challenge is good for one attempt at most.
            using var command = Command(c, tx, "DELETE FROM challenges WHERE hash = $p0 RETURNING account, device, expires_at", challengeHash);
            using var reader = command.ExecuteReader();
            if (!reader.Read() || reader.GetInt64(2) <= Millis(now)) return null;
            return (reader.GetString(0), reader.GetString(1));
        }, ct).ConfigureAwait(false);

    public Task StoreTokenAsync(byte[] tokenHash, string account, string device, DateTimeOffset expiresAt, CancellationToken ct = default) =>
        ChangeTokensAsync(_writer.WriteAsync((c, tx) => Execute(c, tx, "INSERT OR REPLACE INTO tokens (hash, account, device, expires_at) VALUES ($p0, $p1, $p2, $p3)", tokenHash, account, device, Millis(expiresAt)), ct));

    public Task<(string Account, string Device, DateTimeOffset ExpiresAt)?> LookupTokenAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken ct = default)
    {
        var token = _tokens.GetOrRead(Convert.ToHexString(tokenHash), () => _readers.Read(c =>
        {
            using var command = Command(c, null, "SELECT account, device, expires_at FROM tokens WHERE hash = $p0", tokenHash);
            using var reader = command.ExecuteReader();
            return reader.Read() ? new StoredToken(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)) : null;
        }));
        return Task.FromResult<(string, string, DateTimeOffset)?>(token is not null && token.ExpiresAtMillis > Millis(now)
            ? (token.Account, token.Device, Time(token.ExpiresAtMillis))
            : null);
    }

    public Task RevokeTokensAsync(string account, string? device, CancellationToken ct = default) =>
        ChangeTokensAsync(_writer.WriteAsync((c, tx) => device is null
            ? Execute(c, tx, "DELETE FROM tokens WHERE account = $p0", account)
            : Execute(c, tx, "DELETE FROM tokens WHERE account = $p0 AND device = $p1", account, device), ct));

    public Task SetDeliveryTokenHashAsync(string account, byte[] tokenHash, CancellationToken ct = default) =>
        _writer.WriteAsync((c, tx) => Execute(c, tx, "UPDATE accounts SET delivery_token_hash = $p0 WHERE account = $p1", tokenHash, account), ct);

    public Task<byte[]?> GetDeliveryTokenHashAsync(string account, CancellationToken ct = default) =>
        Task.FromResult(_readers.Read(c =>
        {
            using var command = Command(c, null, "SELECT delivery_token_hash FROM accounts WHERE account = $p0", account);
            return command.ExecuteScalar() as byte[];
        }));

    public Task<IReadOnlyList<string>> AccountsWithPendingHeadAsync(int limit, CancellationToken ct = default) =>
        Task.FromResult(_readers.Read<IReadOnlyList<string>>(c =>
        {
            var result = new List<string>();
            using var command = Command(c, null, "SELECT account FROM accounts WHERE head_pending = 1 ORDER BY account LIMIT $p0", limit);
            using var reader = command.ExecuteReader();
            while (reader.Read()) result.Add(reader.GetString(0));
            return result;
        }));

    public Task MarkHeadLoggedAsync(string account, int logEntries, CancellationToken ct = default) =>
        _writer.WriteAsync((c, tx) => Execute(c, tx, "UPDATE accounts SET head_pending = 0 WHERE account = $p0 AND log_entries = $p1", account, logEntries), ct);

    // --- signals (one process: delivered in process) ---

    public Task PublishAsync(RelaySignal signal, CancellationToken ct = default)
    {
        _signals.Dispatch(signal);
        return Task.CompletedTask;
    }

    public IDisposable Subscribe(Action<RelaySignal> handler) => _signals.Subscribe(handler);

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        _readers.Dispose();
    }
}
