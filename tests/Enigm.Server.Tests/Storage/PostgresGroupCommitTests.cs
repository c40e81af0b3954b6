using System.Security.Cryptography;
using Enigm.Relay;
using Enigm.Server.Storage;
using Enigm.Server.Storage.Postgres;
using Npgsql;
using Xunit;

namespace Enigm.Server.Tests.Storage;

/// <summary>
/// The PostgreSQL store's group commit (PostgresRelayStore.Submits and .Acks): concurrent submits and acks gathered into
/// rounds of one transaction each. Each test in a fresh schema of ENIGM_POSTGRES (skipped with the reason when unset).
/// </summary>
public sealed class PostgresGroupCommitTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
    private readonly string _schema = "g_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private readonly List<IRelayStore> _opened = [];
    private string? _server;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _opened) await store.DisposeAsync();
        if (_server is null) return;
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }

    [SkippableFact]
    public async Task Concurrent_submits_are_stored_once_each_readable_by_another_node_when_answered_and_share_transactions()
    {
        var node = await StoreAsync();
        var other = await StoreAsync();
        const int Submits = 200;
        var messages = Enumerable.Range(0, Submits).Select(i => new OutgoingMessage("d" + (i % 7), Bytes(16), Bytes(40))).ToArray();
        var answered = await Task.WhenAll(messages.Select((m, i) => Task.Run(async () =>
        {
            var stored = await node.EnqueueAsync("acct" + (i % 13), [m], T0);
            // Answered only after the commit: another node (its own sessions) already reads it.
            var seen = await other.FetchAsync("acct" + (i % 13), m.Device, 0, RelayLimits.MaxMailboxFetch);
            return (stored, seen: seen.Count(x => x.MessageId.AsSpan().SequenceEqual(m.MessageId)));
        })));

        Assert.All(answered, a => Assert.Equal((1, 1), a));
        Assert.Equal(Submits, await ScalarAsync<long>("SELECT count(*) FROM messages"));
        Assert.Equal(Submits, await ScalarAsync<long>("SELECT count(DISTINCT message_id) FROM messages"));
        Assert.Equal(Submits, await ScalarAsync<long>("SELECT sum(messages)::bigint FROM mailbox_depth"));
        // Rounds: fewer inserting transactions than submits (one per round, not one per submit).
        var transactions = await ScalarAsync<long>("SELECT count(DISTINCT xmin::text) FROM messages");
        Assert.True(transactions < Submits, $"{transactions} transactions for {Submits} concurrent submits: no two shared a round");
    }

    [SkippableFact]
    public async Task A_submit_to_a_full_mailbox_fails_alone_and_the_rest_of_its_round_is_stored()
    {
        var store = await StoreAsync();
        await store.EnqueueAsync("bob", [new OutgoingMessage("full", Bytes(16), Bytes(10))], T0);
        await ExecuteAsync($"UPDATE mailbox_depth SET messages = {RelayLimits.MaxMailboxMessages} WHERE account = 'bob' AND device = 'full'");

        var others = Enumerable.Range(0, 60).Select(i => new OutgoingMessage("d" + i, Bytes(16), Bytes(40))).ToArray();
        var refused = Task.Run(() => store.EnqueueAsync("bob", [new OutgoingMessage("full", Bytes(16), Bytes(10)), new OutgoingMessage("d0", Bytes(16), Bytes(10))], T0));
        var stored = others.Select(m => Task.Run(() => store.EnqueueAsync("bob", [m], T0))).ToArray();

        var error = await Assert.ThrowsAsync<MailboxFullException>(() => refused);
        Assert.Contains("bob/full", error.Message, StringComparison.Ordinal);
        Assert.All(await Task.WhenAll(stored), n => Assert.Equal(1, n));
        // Nothing of the refused submit was stored, not even its message to the device with room.
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM messages WHERE account = 'bob' AND device = 'd0'"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM messages WHERE account = 'bob' AND device = 'full'"));
    }

    [SkippableFact]
    public async Task Near_the_cap_concurrent_submits_store_exactly_what_fits_and_refuse_the_rest()
    {
        var store = await StoreAsync();
        await store.EnqueueAsync("bob", [new OutgoingMessage("d1", Bytes(16), Bytes(10))], T0);
        // Room for three more messages.
        await ExecuteAsync($"UPDATE mailbox_depth SET messages = {RelayLimits.MaxMailboxMessages - 3} WHERE account = 'bob' AND device = 'd1'");

        // A submit of four never fits; eight submits of one race for the three places, repeatedly in shared rounds.
        var tooBig = Task.Run(() => store.EnqueueAsync("bob", [.. Enumerable.Range(0, 4).Select(_ => new OutgoingMessage("d1", Bytes(16), Bytes(10)))], T0));
        var singles = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            try
            {
                return await store.EnqueueAsync("bob", [new OutgoingMessage("d1", Bytes(16), Bytes(10))], T0);
            }
            catch (MailboxFullException)
            {
                return -1;
            }
        })).ToArray();

        await Assert.ThrowsAsync<MailboxFullException>(() => tooBig);
        var outcomes = await Task.WhenAll(singles);
        Assert.Equal(3, outcomes.Count(o => o == 1));
        Assert.Equal(5, outcomes.Count(o => o == -1));
        Assert.Equal(4L, await ScalarAsync<long>("SELECT count(*) FROM messages WHERE device = 'd1'"));
        Assert.Equal((long)RelayLimits.MaxMailboxMessages, await ScalarAsync<long>("SELECT messages FROM mailbox_depth WHERE device = 'd1'"));
    }

    [SkippableFact]
    public async Task A_submit_the_database_rejects_fails_alone_and_the_rest_of_its_round_is_stored()
    {
        var store = await StoreAsync();
        // A NUL in a text value: PostgreSQL refuses the statement (invalid byte sequence), so the whole round fails and
        // runs again one request at a time.
        var bad = Task.Run(() => store.EnqueueAsync("bob", [new OutgoingMessage("bad\0device", Bytes(16), Bytes(10))], T0));
        var good = Enumerable.Range(0, 40).Select(i => Task.Run(() => store.EnqueueAsync("bob", [new OutgoingMessage("d" + i, Bytes(16), Bytes(10))], T0))).ToArray();

        await Assert.ThrowsAsync<RelayStoreException>(() => bad);
        Assert.All(await Task.WhenAll(good), n => Assert.Equal(1, n));
        Assert.Equal(40L, await ScalarAsync<long>("SELECT count(*) FROM messages"));
    }

    [SkippableFact]
    public async Task Acks_from_many_devices_at_once_delete_exactly_their_own_messages()
    {
        var store = await StoreAsync();
        const int Devices = 40;
        var seqs = new long[Devices][];
        for (var i = 0; i < Devices; i++)
        {
            await store.EnqueueAsync("bob", [.. Enumerable.Range(0, 3).Select(_ => new OutgoingMessage("d" + i, Bytes(16), Bytes(10)))], T0);
            seqs[i] = [.. (await store.FetchAsync("bob", "d" + i, 0, 10)).Select(m => m.Seq)];
        }

        // Each device acks its first two messages, plus a seq of another device's mailbox, which must stay.
        var counts = await Task.WhenAll(Enumerable.Range(0, Devices).Select(i => Task.Run(() =>
            store.AckAsync("bob", "d" + i, [seqs[i][0], seqs[i][1], seqs[(i + 1) % Devices][2]]))));

        Assert.All(counts, c => Assert.Equal(2, c));
        for (var i = 0; i < Devices; i++)
        {
            Assert.Equal([seqs[i][2]], (await store.FetchAsync("bob", "d" + i, 0, 10)).Select(m => m.Seq));
            Assert.Equal(1L, (await store.MailboxDepthAsync("bob", "d" + i)).Messages);
        }

        // Acking again deletes nothing.
        Assert.Equal(0, await store.AckAsync("bob", "d0", [seqs[0][0]]));
    }

    private async Task<IRelayStore> StoreAsync()
    {
        _server ??= PostgresRelayStoreTests.ServerConnectionString();
        var store = new PostgresRelayStore(new NpgsqlConnectionStringBuilder(_server) { SearchPath = _schema, MaxPoolSize = 20 }.ConnectionString);
        _opened.Add(store);
        await store.MigrateAsync();
        return store;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { SearchPath = _schema }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { SearchPath = _schema }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static byte[] Bytes(int length) => RandomNumberGenerator.GetBytes(length);
}
