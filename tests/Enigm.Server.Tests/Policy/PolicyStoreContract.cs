using System.Security.Cryptography;
using Enigm.Keys.Audit;
using Enigm.Server.Storage;
using Enigm.Server.Storage.Policy;
using Enigm.Trust.Policy;
using Xunit;

namespace Enigm.Server.Tests.Policy;

/// <summary>
/// Every behaviour of <see cref="IPolicyStore"/>, run against SQLite and PostgreSQL by a subclass so the engines cannot
/// drift apart. Each test gets a fresh, migrated relay store (the policy tables are created by its migration).
/// </summary>
public abstract class PolicyStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    private readonly List<IRelayStore> _opened = [];

    protected abstract Task<IRelayStore> OpenAsync();

    private async Task<IPolicyStore> StoreAsync()
    {
        var store = await OpenAsync();
        _opened.Add(store);
        await store.MigrateAsync();
        return store.Policy;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _opened) await store.DisposeAsync();
    }

    private static AdminAuditRecord Next(AdminAuditRecord? head, string eventName = "org-device-restrict", byte[]? action = null)
    {
        action ??= RandomNumberGenerator.GetBytes(100);
        var previous = head is null ? null : new AuditEntry(head.Sequence, head.Time, head.Event, head.KeyId, head.Detail, head.PreviousHash, head.Hash);
        var e = AuditChainLink.Next(previous, T0.AddSeconds(head?.Sequence ?? 0), eventName, "acct/dev", Convert.ToHexStringLower(SHA256.HashData(action)));
        return new AdminAuditRecord(e.Sequence, e.Time, e.Event, e.KeyId, e.Detail, e.PreviousHash, e.Hash, action);
    }

    [SkippableFact]
    public async Task The_organisation_key_is_set_once_and_never_replaced()
    {
        var store = await StoreAsync();
        Assert.Null(await store.GetOrganisationKeyAsync());
        Assert.True(await store.SetOrganisationKeyAsync([1, 2, 3]));
        Assert.True(await store.SetOrganisationKeyAsync([1, 2, 3]));
        Assert.False(await store.SetOrganisationKeyAsync([9]));
        Assert.Equal([1, 2, 3], await store.GetOrganisationKeyAsync());
    }

    [SkippableFact]
    public async Task Appends_extend_the_head_and_a_stale_link_writes_nothing()
    {
        var store = await StoreAsync();
        var first = Next(null);
        Assert.Equal(AppendOutcome.Appended, await store.AppendAsync(first, "acct", "dev", null));
        var second = Next(first, "org-device-revoke");
        Assert.Equal(AppendOutcome.Appended, await store.AppendAsync(second, "acct", "dev", null));
        // Another action signed on the first head: refused, and the log is unchanged.
        Assert.Equal(AppendOutcome.HeadMoved, await store.AppendAsync(Next(first), "acct", "dev", null));

        var records = await store.ReadAuditAsync(0, 10);
        Assert.Equal([1L, 2L], records.Select(r => r.Sequence));
        Assert.Equal(second.Hash, (await store.GetAuditHeadAsync())!.Hash);
        Assert.Equal(second.Action, records[1].Action);
        Assert.Equal(T0.AddSeconds(1), records[1].Time);
        Assert.Equal([first.Action, second.Action], await store.ReadDeviceActionsAsync("acct", "dev"));
        Assert.Empty(await store.ReadDeviceActionsAsync("acct", "other"));
        Assert.Equal([2L], (await store.ReadAuditAsync(1, 10)).Select(r => r.Sequence));
        var chain = AuditVerifier.Verify(records.Select(r => new AuditEntry(r.Sequence, r.Time, r.Event, r.KeyId, r.Detail, r.PreviousHash, r.Hash)).ToList(), [],
            new Dictionary<string, byte[]>(), Crypto.Providers.CryptoProviders.Default);
        Assert.True(chain.Ok, chain.Problem);
    }

    [SkippableFact]
    public async Task A_policy_is_stored_with_its_entry_only_when_its_version_is_higher()
    {
        var store = await StoreAsync();
        var first = Next(null, "org-policy-set");
        Assert.Equal(AppendOutcome.Appended, await store.AppendAsync(first, null, null, new StoredPolicy([7], 5)));
        Assert.Equal(AppendOutcome.PolicyNotNewer, await store.AppendAsync(Next(first, "org-policy-set"), null, null, new StoredPolicy([8], 5)));

        var policy = await store.GetPolicyAsync();
        Assert.Equal(5UL, policy!.Version);
        Assert.Equal([7], policy.Signed);
        Assert.Single(await store.ReadAuditAsync(0, 10));
    }

    [SkippableFact]
    public async Task Only_a_newer_posture_replaces_the_stored_one()
    {
        var store = await StoreAsync();
        Assert.True(await store.PutPostureAsync("acct", "dev", [1], T0, T0));
        Assert.False(await store.PutPostureAsync("acct", "dev", [2], T0, T0));
        Assert.False(await store.PutPostureAsync("acct", "dev", [3], T0.AddSeconds(-1), T0));
        Assert.True(await store.PutPostureAsync("acct", "dev", [4], T0.AddSeconds(1), T0));
        var posture = await store.GetPostureAsync("acct", "dev");
        Assert.Equal([4], posture!.Signed);
        Assert.Equal(T0.AddSeconds(1), posture.IssuedAt);
        Assert.Null(await store.GetPostureAsync("acct", "none"));
    }

    [SkippableFact]
    public async Task Compliance_rows_list_devices_with_posture_actions_or_states()
    {
        var store = await StoreAsync();
        await store.PutPostureAsync("a", "d1", [1], T0, T0);
        await store.SetComplianceAsync("a", "d1", ComplianceState.Restricted, "[]", T0);
        await store.AppendAsync(Next(null), "b", "d2", null);

        var rows = await store.ListComplianceAsync(10);
        Assert.Equal([("a", "d1"), ("b", "d2")], rows.Select(r => (r.Account, r.Device)));
        Assert.Equal(ComplianceState.Restricted, rows[0].State);
        Assert.Equal(T0, rows[0].PostureAt);
        Assert.Null(rows[1].State);
    }
}

/// <summary>The policy store contract over a fresh SQLite file per test.</summary>
public sealed class SqlitePolicyStoreTests : PolicyStoreContract
{
    private readonly string _directory = Directory.CreateTempSubdirectory("enigm-policy-sqlite-").FullName;

    protected override Task<IRelayStore> OpenAsync() =>
        Task.FromResult<IRelayStore>(new global::Enigm.Server.Storage.Sqlite.SqliteRelayStore(Path.Combine(_directory, "relay.db")));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Once_set_returned_no_read_sees_the_key_absent_even_while_absence_was_being_read()
    {
        var store = (IRelayStore)await OpenAsync();
        await using var owned = store;
        await store.MigrateAsync();
        var setReturned = 0;
        var staleReads = 0;
        using var stop = new CancellationTokenSource();
        // Readers keep reading (and so keep caching the absence) while the key is set.
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var afterSet = Volatile.Read(ref setReturned) == 1;
                if (await store.Policy.GetOrganisationKeyAsync() is null && afterSet) Interlocked.Increment(ref staleReads);
            }
        })).ToArray();
        await Task.Delay(50);
        Assert.True(await store.Policy.SetOrganisationKeyAsync([7, 7, 7]));
        Volatile.Write(ref setReturned, 1);
        await Task.Delay(100);
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.Equal(0, staleReads);
        Assert.Equal([7, 7, 7], await store.Policy.GetOrganisationKeyAsync());
    }

    [Fact]
    public async Task A_key_another_process_stored_is_seen_within_the_read_cache_age()
    {
        var path = Path.Combine(_directory, "shared.db");
        await using var here = new global::Enigm.Server.Storage.Sqlite.SqliteRelayStore(path);
        await here.MigrateAsync();
        Assert.Null(await here.Policy.GetOrganisationKeyAsync()); // the absence is now remembered here
        await using (var other = new global::Enigm.Server.Storage.Sqlite.SqliteRelayStore(path))
        {
            Assert.True(await other.Policy.SetOrganisationKeyAsync([5, 6]));
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        byte[]? seen;
        while ((seen = await here.Policy.GetOrganisationKeyAsync()) is null && clock.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(20);
        Assert.Equal([5, 6], seen);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"seen after {clock.Elapsed}");
    }
}

/// <summary>The policy store contract on PostgreSQL (ENIGM_POSTGRES; skipped with the reason when unset).</summary>
public sealed class PostgresPolicyStoreTests : PolicyStoreContract
{
    private readonly string _schema = "p_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private string? _server;

    protected override Task<IRelayStore> OpenAsync()
    {
        _server ??= Tests.Storage.PostgresRelayStoreTests.ServerConnectionString();
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(_server) { SearchPath = _schema, MaxPoolSize = 5 };
        return Task.FromResult<IRelayStore>(new global::Enigm.Server.Storage.Postgres.PostgresRelayStore(builder.ConnectionString));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is null) return;
        await using var connection = new Npgsql.NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new Npgsql.NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
