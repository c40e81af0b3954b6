using Npgsql;
using static Enigm.Server.Storage.Postgres.PostgresCommands;

namespace Enigm.Server.Storage.Postgres;

// Accounts and authentication. ReplaceDeviceLog's UPDATE … WHERE log_entries = expected is the compare-and-swap:
// a concurrent one waits for the row lock, re-checks the condition against the committed row and updates nothing.
public sealed partial class PostgresRelayStore
{
    public Task<bool> CreateAccountAsync(string account, byte[] deviceLog, IReadOnlyList<StoredDevice> devices, DateTimeOffset now, CancellationToken ct = default) =>
        TransactAsync(async (c, tx) =>
        {
            if (await ExecuteAsync(c, tx, "INSERT INTO accounts (account, device_log, log_entries, created_at, head_pending) VALUES ($1, $2, 1, $3, true) ON CONFLICT DO NOTHING", ct, account, deviceLog, Millis(now)).ConfigureAwait(false) == 0)
                return false;
            await WriteDevicesAsync(c, tx, account, devices, ct).ConfigureAwait(false);
            return true;
        }, ct);

    /// <summary>From this node's <see cref="PostgresAccountCache"/> when fresh, else one read (then cached).</summary>
    public async Task<StoredAccount?> GetAccountAsync(string account, CancellationToken ct = default)
    {
        if (_accounts.TryGet(account, out var cached)) return cached;
        var generation = _accounts.Generation;
        var loadedAt = Environment.TickCount64;
        var stored = await RunAsync(c => ReadAccountAsync(c, null, account, ct), ct).ConfigureAwait(false);
        if (stored is not null) _accounts.Put(stored, generation, loadedAt);
        return stored;
    }

    /// <summary>
    /// After the changing transaction committed: this node drops its cached copy, and every other node is told to (by
    /// NOTIFY, after the commit, so a node that reloads on the signal reads the change). A node that misses the signal
    /// (the sender died first) serves its copy for at most <see cref="PostgresAccountCache.MaxAge"/>.
    /// </summary>
    private void AnnounceChange(string account)
    {
        _accounts.Invalidate(account);
        Signal([new RelaySignal(RelaySignalKind.AccountChanged, account, null)]);
    }

    public async Task<bool> ReplaceDeviceLogAsync(string account, int expectedEntries, byte[] newLog, int newEntries, IReadOnlyList<StoredDevice> devices, CancellationToken ct = default)
    {
        var replaced = await TransactAsync(async (c, tx) =>
        {
            if (await ExecuteAsync(c, tx, "UPDATE accounts SET device_log = $1, log_entries = $2, head_pending = true WHERE account = $3 AND log_entries = $4", ct, newLog, newEntries, account, expectedEntries).ConfigureAwait(false) == 0)
                return false;
            await WriteDevicesAsync(c, tx, account, devices, ct).ConfigureAwait(false);
            return true;
        }, ct).ConfigureAwait(false);
        if (replaced) AnnounceChange(account);
        else _accounts.Invalidate(account);
        return replaced;
    }

    public async Task<bool> SetDisabledAsync(string account, bool disabled, CancellationToken ct = default)
    {
        var changed = await TransactAsync(async (c, tx) =>
        {
            return await ExecuteAsync(c, tx, "UPDATE accounts SET disabled = $1 WHERE account = $2", ct, disabled, account).ConfigureAwait(false) > 0;
        }, ct).ConfigureAwait(false);
        if (changed) AnnounceChange(account);
        else _accounts.Invalidate(account);
        return changed;
    }

    public Task<IReadOnlyList<StoredAccount>> ListAccountsAsync(int limit, string? after, CancellationToken ct = default) =>
        TransactAsync<IReadOnlyList<StoredAccount>>(async (c, tx) =>
        {
            var names = new List<string>();
            await using (var command = Command(c, tx, "SELECT account FROM accounts WHERE account COLLATE \"C\" > $1 ORDER BY account COLLATE \"C\" LIMIT $2", after ?? "", Math.Max(0, limit)))
            await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false)) names.Add(reader.GetString(0));
            }

            var accounts = new List<StoredAccount>();
            foreach (var name in names)
            {
                if (await ReadAccountAsync(c, tx, name, ct).ConfigureAwait(false) is { } account) accounts.Add(account);
            }

            return accounts;
        }, ct);

    private static async Task WriteDevicesAsync(NpgsqlConnection c, NpgsqlTransaction tx, string account, IReadOnlyList<StoredDevice> devices, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(c, tx);
        batch.BatchCommands.Add(BatchCommand("DELETE FROM devices WHERE account = $1", account));
        foreach (var device in devices)
        {
            batch.BatchCommands.Add(BatchCommand("INSERT INTO devices (account, device, revoked) VALUES ($1, $2, $3) ON CONFLICT (account, device) DO UPDATE SET revoked = EXCLUDED.revoked",
                account, device.Device, device.Revoked));
        }

        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The account and its devices in one statement: one round trip, one snapshot (no BEGIN needed for consistency).</summary>
    private static async Task<StoredAccount?> ReadAccountAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string account, CancellationToken ct)
    {
        await using var command = Command(c, tx, """
            SELECT a.device_log, a.log_entries, a.created_at, a.disabled,
                   coalesce((SELECT array_agg(d.device ORDER BY d.device COLLATE "C") FROM devices d WHERE d.account = a.account), '{}'),
                   coalesce((SELECT array_agg(d.revoked ORDER BY d.device COLLATE "C") FROM devices d WHERE d.account = a.account), '{}')
            FROM accounts a WHERE a.account = $1
            """, account);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false)) return null;
        var names = reader.GetFieldValue<string[]>(4);
        var revoked = reader.GetFieldValue<bool[]>(5);
        var devices = names.Select((name, i) => new StoredDevice(name, revoked[i])).ToList();
        return new StoredAccount(account, (byte[])reader[0], reader.GetInt32(1), Time(reader.GetInt64(2)), reader.GetBoolean(3), devices);
    }

    // --- authentication ---

    public Task StoreChallengeAsync(byte[] challengeHash, string account, string device, DateTimeOffset expiresAt, CancellationToken ct = default) =>
        RunAsync(c => ExecuteAsync(c, null, "INSERT INTO challenges (hash, account, device, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO UPDATE SET account = EXCLUDED.account, device = EXCLUDED.device, expires_at = EXCLUDED.expires_at",
            ct, challengeHash, account, device, Millis(expiresAt)), ct);

    public Task<(string Account, string Device)?> TakeChallengeAsync(byte[] challengeHash, DateTimeOffset now, CancellationToken ct = default) =>
        RunAsync<(string, string)?>(async c =>
        {
            // DELETE … RETURNING: of two nodes taking the same challenge at once, only one gets the row.
            await using var command = Command(c, null, "DELETE FROM challenges WHERE hash = $1 RETURNING account, device, expires_at", challengeHash);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await reader.ReadAsync(ct).ConfigureAwait(false) || reader.GetInt64(2) <= Millis(now)) return null;
            return (reader.GetString(0), reader.GetString(1));
        }, ct);

    public Task StoreTokenAsync(byte[] tokenHash, string account, string device, DateTimeOffset expiresAt, CancellationToken ct = default) =>
        RunAsync(c => ExecuteAsync(c, null, "INSERT INTO tokens (hash, account, device, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO UPDATE SET account = EXCLUDED.account, device = EXCLUDED.device, expires_at = EXCLUDED.expires_at",
            ct, tokenHash, account, device, Millis(expiresAt)), ct);

    public Task<(string Account, string Device, DateTimeOffset ExpiresAt)?> LookupTokenAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken ct = default) =>
        RunAsync<(string, string, DateTimeOffset)?>(async c =>
        {
            await using var command = Command(c, null, "SELECT account, device, expires_at FROM tokens WHERE hash = $1 AND expires_at > $2", tokenHash, Millis(now));
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? (reader.GetString(0), reader.GetString(1), Time(reader.GetInt64(2))) : null;
        }, ct);

    public Task<IReadOnlyList<string>> AccountsWithPendingHeadAsync(int limit, CancellationToken ct = default) =>
        TransactAsync<IReadOnlyList<string>>(async (c, tx) =>
        {
            var result = new List<string>();
            await using var command = Command(c, tx, "SELECT account FROM accounts WHERE head_pending ORDER BY account LIMIT $1", limit);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false)) result.Add(reader.GetString(0));
            return result;
        }, ct);

    public Task MarkHeadLoggedAsync(string account, int logEntries, CancellationToken ct = default) =>
        TransactAsync((c, tx) => ExecuteAsync(c, tx, "UPDATE accounts SET head_pending = false WHERE account = $1 AND log_entries = $2", ct, account, logEntries), ct);

    public Task RevokeTokensAsync(string account, string? device, CancellationToken ct = default) =>
        RunAsync(c => device is null
            ? ExecuteAsync(c, null, "DELETE FROM tokens WHERE account = $1", ct, account)
            : ExecuteAsync(c, null, "DELETE FROM tokens WHERE account = $1 AND device = $2", ct, account, device), ct);

    public Task SetDeliveryTokenHashAsync(string account, byte[] tokenHash, CancellationToken ct = default) =>
        TransactAsync((c, tx) => ExecuteAsync(c, tx, "UPDATE accounts SET delivery_token_hash = $1 WHERE account = $2", ct, tokenHash, account), ct);

    public Task<byte[]?> GetDeliveryTokenHashAsync(string account, CancellationToken ct = default) =>
        RunAsync(async c => await ScalarAsync(c, null, "SELECT delivery_token_hash FROM accounts WHERE account = $1", ct, account).ConfigureAwait(false) as byte[], ct);
}
