using System.Data;
using Enigm.Trust.Transparency;
using Npgsql;
using static Enigm.Server.Storage.Postgres.PostgresCommands;

namespace Enigm.Server.Storage.Postgres;

/// <summary>
/// <see cref="IRelayStore"/> on PostgreSQL, for several stateless relay nodes over one database. Every method is
/// one short READ COMMITTED transaction on a pooled connection (<see cref="NpgsqlDataSource"/>), with
/// <c>synchronous_commit=on</c> forced on every connection of that pool: a commit returns after its WAL record is flushed, and
/// concurrent commits share flushes (PostgreSQL's own group commit). Submits and acks, the per-message writes, are
/// also gathered at the application level: concurrent calls become one statement batch, one transaction per round
/// (<see cref="PostgresBatchQueue{TRequest}"/>; acks on sessions with <c>synchronous_commit=off</c>, answered at their
/// commit as the SQLite store answers them before their fsync). Concurrency across nodes comes from the
/// database: unique keys for idempotent enqueue, <c>FOR UPDATE SKIP LOCKED</c> for prekey handout, row locks for
/// compare-and-swap. Signals travel by LISTEN/NOTIFY, sent after the commit (<see cref="Signal"/>,
/// <see cref="PostgresNotifier"/>, <see cref="PostgresSignals"/>, <see cref="PostgresCatchUp"/>). The connection string's
/// <c>Search Path</c> names the schema (created by <see cref="MigrateAsync"/>); docs/deployment.md has the rest.
/// </summary>
public sealed partial class PostgresRelayStore : IRelayStore
{
    private const int MaxRetries = 5;

    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _ackDataSource;
    private readonly NpgsqlDataSource _treeDataSource;
    private readonly PostgresBatchQueue<SubmitRequest> _submits;
    private readonly PostgresBatchQueue<AckRequest> _acks;
    private readonly string _schema;
    private readonly RelaySignalHub _hub = new();
    private readonly PostgresSignals _signals;
    private readonly PostgresNotifier _notifier;
    private readonly PostgresCatchUp _catchUp;
    private readonly PostgresTransparencyTree _tree;
    private readonly PostgresAccountCache _accounts = new();
    private readonly IDisposable _accountSignals;
    private readonly Enigm.Server.Storage.Policy.PostgresPolicyStore _policy;

    /// <param name="connectionString">An Npgsql connection string; <c>Search Path=NAME</c> selects the schema (default <c>public</c>).</param>
    public PostgresRelayStore(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new RelayStoreException($"the PostgreSQL connection string is invalid: {e.Message}", e);
        }

        _schema = string.IsNullOrEmpty(builder.SearchPath) ? "public" : builder.SearchPath.Split(',')[0].Trim().Trim('"');
        builder.SearchPath = _schema;
        // Pooled sessions carry no session state (no SET, LISTEN or session advisory lock; listener and notifier have
        // their own unpooled sessions), so the reset Npgsql sends when a connection returns to the pool (six statements,
        // about four times per message in docs/benchmarks.md's profile) is skipped.
        builder.NoResetOnClose = true;
        // Many requests' statements share a few sessions, written together (Npgsql multiplexing: fewer sessions and
        // system calls; measured in docs/benchmarks.md, fifth pass), unless the connection string chose. Safe here:
        // nothing uses session state, and a multi-statement batch still goes out whole with one Sync (one implicit
        // transaction); explicit transactions get a session of their own for their duration.
        if (!new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.ContainsKey("Multiplexing")) builder.Multiplexing = true;
        // The same few statements run on every request: prepare them on each pooled session (parse and plan once)
        // unless the connection string chose otherwise.
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 64;
        var acks = new NpgsqlConnectionStringBuilder(builder.ConnectionString)
        {
            Options = ((builder.Options ?? "") + " -c synchronous_commit=off").Trim(),
            MaxPoolSize = 8,
            ApplicationName = "enigm-relay-acks",
        };
        // Durability must not depend on the server's default: every session of this pool commits synchronously (acks: above).
        builder.Options = ((builder.Options ?? "") + " -c synchronous_commit=on").Trim();
        _dataSource = NpgsqlDataSource.Create(builder);
        _ackDataSource = NpgsqlDataSource.Create(acks);
        _submits = new PostgresBatchQueue<SubmitRequest>(RunSubmitRoundAsync);
        _acks = new PostgresBatchQueue<AckRequest>(RunAckRoundAsync);
        // The transparency tree's store interface is synchronous, which a multiplexed pool refuses: its own small pool.
        _treeDataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Multiplexing = false, MaxPoolSize = 16 });
        _tree = new PostgresTransparencyTree(_treeDataSource);
        _policy = new Enigm.Server.Storage.Policy.PostgresPolicyStore(_dataSource, _schema); // issue 14: organisation policy store (own tables)
        // A random name for this node, so its listener skips the notifications it sent itself (already dispatched here).
        var node = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        var channel = "enigm_relay:" + _schema;
        _signals = new PostgresSignals(builder.ConnectionString, channel, node, _hub);
        _notifier = new PostgresNotifier(builder.ConnectionString, channel, node);
        _catchUp = new PostgresCatchUp(_dataSource, _hub);
        _accountSignals = _hub.Subscribe(_accounts.OnSignal);
    }

    public string Kind => "postgres";

    public ITransparencyLogStore TransparencyTree => _tree;

    public Enigm.Server.Storage.Policy.IPolicyStore Policy => _policy;

    /// <summary>
    /// Creates or upgrades the schema under a transaction-scoped advisory lock, so nodes starting together migrate
    /// once; returns once this node also listens for signals.
    /// </summary>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await TransactAsync(async (c, tx) =>
        {
            await ExecuteAsync(c, tx, "SELECT pg_advisory_xact_lock(hashtext($1))", ct, "enigm-relay-schema:" + _schema).ConfigureAwait(false);
            await ExecuteAsync(c, tx, $"CREATE SCHEMA IF NOT EXISTS {Quote(_schema)}", ct).ConfigureAwait(false);
            var exists = await ScalarAsync(c, tx, "SELECT to_regclass($1) IS NOT NULL", ct, Quote(_schema) + ".schema_version").ConfigureAwait(false) is true;
            var version = exists ? await ScalarAsync(c, tx, "SELECT max(version) FROM schema_version", ct).ConfigureAwait(false) as int? : null;
            if (version > PostgresSchema.Version)
                throw new RelayStoreException($"the relay schema {_schema} has version {version}, newer than this relay's {PostgresSchema.Version}");
            if (version == PostgresSchema.Version) return true;
            foreach (var statement in PostgresSchema.Statements) await ExecuteAsync(c, tx, statement, ct).ConfigureAwait(false);
            await ExecuteAsync(c, tx, "DELETE FROM schema_version", ct).ConfigureAwait(false);
            await ExecuteAsync(c, tx, "INSERT INTO schema_version (version) VALUES ($1)", ct, PostgresSchema.Version).ConfigureAwait(false);
            return true;
        }, ct).ConfigureAwait(false);
        await _policy.MigrateAsync(ct).ConfigureAwait(false); // issue 14: organisation policy tables
        await _signals.Ready.WaitAsync(ct).ConfigureAwait(false);
        _catchUp.Start();
    }

    /// <summary>Dispatches to this node's subscribers at once, then returns when the NOTIFY to the other nodes went out.</summary>
    public Task PublishAsync(RelaySignal signal, CancellationToken ct = default)
    {
        _hub.Dispatch(signal);
        return _notifier.SendAsync(signal, ct);
    }

    public IDisposable Subscribe(Action<RelaySignal> handler) => _hub.Subscribe(handler);

    public async ValueTask DisposeAsync()
    {
        await _submits.DisposeAsync().ConfigureAwait(false);
        await _acks.DisposeAsync().ConfigureAwait(false);
        await _catchUp.DisposeAsync().ConfigureAwait(false);
        await _notifier.DisposeAsync().ConfigureAwait(false);
        await _signals.DisposeAsync().ConfigureAwait(false);
        _accountSignals.Dispose();
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await _ackDataSource.DisposeAsync().ConfigureAwait(false);
        await _treeDataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Announces what a transaction committed: to this node's subscribers at once, and to the other nodes by the next
    /// NOTIFY (<see cref="PostgresNotifier"/>), without waiting for it. Called only after the commit, never inside the
    /// transaction: a NOTIFY there would make every such commit wait for the one before it (see PostgresNotifier).
    /// </summary>
    private void Signal(IReadOnlyList<RelaySignal> signals)
    {
        foreach (var signal in signals) _hub.Dispatch(signal);
        // Other nodes get the wake-up only (they fetch): one per device, whatever this node handed over in memory.
        _notifier.Post(signals.Select(s => s.Message is null ? s : s with { Message = null }));
    }

    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// Runs <paramref name="work"/> on a pooled connection without BEGIN/COMMIT: for one statement, or one batch, which
    /// PostgreSQL runs as one implicit transaction (all or nothing, committed when it returns), saving the round trip
    /// an explicit COMMIT costs. Retries and errors as <see cref="TransactAsync{T}"/>. On <paramref name="dataSource"/>
    /// when given (the acks' sessions), else the durable pool.
    /// </summary>
    private async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken ct, NpgsqlDataSource? dataSource = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await (dataSource ?? _dataSource).OpenConnectionAsync(ct).ConfigureAwait(false);
                return await work(connection).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < MaxRetries)
            {
                await Task.Delay(Random.Shared.Next(1, 10 * attempt), ct).ConfigureAwait(false);
            }
            catch (NpgsqlException e)
            {
                throw new RelayStoreException($"the relay database failed: {e.Message}", e);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction and commits. A deadlock or serialization failure (the whole
    /// transaction rolled back, nothing applied) is retried unless <paramref name="retry"/> is false (work that
    /// consumes a stream cannot run twice); other database errors become <see cref="RelayStoreException"/>.
    /// </summary>
    private async Task<T> TransactAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken ct, bool retry = true)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);
                var result = await work(connection, transaction).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return result;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && retry && attempt < MaxRetries)
            {
                await Task.Delay(Random.Shared.Next(1, 10 * attempt), ct).ConfigureAwait(false);
            }
            catch (NpgsqlException e)
            {
                throw new RelayStoreException($"the relay database failed: {e.Message}", e);
            }
        }
    }
}
