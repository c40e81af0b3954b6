using Npgsql;
using Xunit;

namespace Enigm.E2E.Tests.Support;

/// <summary>
/// One <c>enigm server run</c> process per test class (starting one costs a second or two), over a database in a
/// temporary folder (SQLite) or a fresh PostgreSQL database (dropped afterwards). Tests create their own accounts,
/// so they do not depend on each other's order.
/// </summary>
public abstract class RelayFixture : IAsyncLifetime
{
    private readonly TempFolder _temp = new();
    private ServerProcess? _server;

    /// <summary>Why the fixture cannot run here (PostgreSQL not configured), or null.</summary>
    public abstract string? SkipReason { get; }

    public string Root => _temp.Path;

    internal ServerProcess Server => _server ?? throw new InvalidOperationException("StartAsync first");

    /// <summary>The <c>--db</c> value.</summary>
    protected abstract Task<string> DatabaseAsync();

    /// <summary>Every file of the SQLite database (db, -wal, -shm, -journal), or the PostgreSQL rows as text.</summary>
    internal abstract Task<List<(string Name, byte[] Bytes)>> DatabaseContentsAsync();

    /// <summary>Starts the server once; later calls return it. Skips the test (with the reason) when this store is not configured.</summary>
    internal async Task<ServerProcess> StartAsync()
    {
        if (SkipReason is { } reason)
        {
            if (PostgresRelayFixture.Required) throw new InvalidOperationException($"ENIGM_POSTGRES_REQUIRED=1 but {reason}");
            Skip.If(true, reason);
        }

        if (_server is not null) return _server;
        _server = new ServerProcess(await DatabaseAsync(), _temp.Sub("server"));
        await _server.StartAsync();
        return _server;
    }

    internal ClientDevice NewDevice(string name) => new(name, Path.Combine(_temp.Sub("homes"), $"{name}-{Guid.NewGuid():N}"));

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>xUnit disposes class fixtures through <see cref="IAsyncLifetime"/> (not IAsyncDisposable): the server process is killed and the folder deleted.</summary>
    public virtual async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _temp.Dispose();
    }
}

/// <summary>The embedded default: one SQLite file (WAL) in the fixture's folder.</summary>
public sealed class SqliteRelayFixture : RelayFixture
{
    public override string? SkipReason => null;

    public string DatabaseFolder => Path.Combine(Root, "db");

    protected override Task<string> DatabaseAsync()
    {
        Directory.CreateDirectory(DatabaseFolder);
        return Task.FromResult("sqlite:" + Path.Combine(DatabaseFolder, "relay.db"));
    }

    internal override Task<List<(string Name, byte[] Bytes)>> DatabaseContentsAsync() =>
        Task.FromResult(Directory.EnumerateFiles(DatabaseFolder, "*", SearchOption.AllDirectories)
            .Select(f => (Path.GetFileName(f), File.ReadAllBytes(f)))
            .ToList());
}

/// <summary>
/// PostgreSQL from <c>ENIGM_POSTGRES</c> (a connection string; <c>scripts/postgres-start.sh</c> prints one). Each fixture
/// creates its own database and drops it afterwards. Unset: the tests are skipped with the reason, unless
/// <c>ENIGM_POSTGRES_REQUIRED=1</c>, which turns that into a failure (CI).
/// </summary>
public sealed class PostgresRelayFixture : RelayFixture
{
    private readonly string? _connection = Environment.GetEnvironmentVariable("ENIGM_POSTGRES") is { Length: > 0 } c ? c : null;
    private readonly string _database = $"enigm_e2e_{Guid.NewGuid():N}"[..26];
    private string? _databaseConnection;

    public static bool Required => Environment.GetEnvironmentVariable("ENIGM_POSTGRES_REQUIRED") == "1";

    public override string? SkipReason => _connection is null
        ? "ENIGM_POSTGRES is not set (export ENIGM_POSTGRES=$(scripts/postgres-start.sh | tail -n1) to run the PostgreSQL end-to-end tests)"
        : null;

    protected override async Task<string> DatabaseAsync()
    {
        await using (var admin = new NpgsqlConnection(_connection))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        _databaseConnection = new NpgsqlConnectionStringBuilder(_connection) { Database = _database }.ConnectionString;
        return "postgres:" + _databaseConnection;
    }

    /// <summary>Every row of every table in the database, as PostgreSQL's text form (bytea as hex).</summary>
    internal override async Task<List<(string Name, byte[] Bytes)>> DatabaseContentsAsync()
    {
        var contents = new List<(string, byte[])>();
        await using var connection = new NpgsqlConnection(_databaseConnection);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }

        foreach (var table in tables)
        {
            var text = new System.Text.StringBuilder();
            await using var rows = new NpgsqlCommand($"SELECT t::text FROM {table} t", connection);
            await using var reader = await rows.ExecuteReaderAsync();
            while (await reader.ReadAsync()) text.AppendLine(reader.GetString(0));
            contents.Add((table, System.Text.Encoding.UTF8.GetBytes(text.ToString())));
        }

        return contents;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_databaseConnection is null) return;
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_connection);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
