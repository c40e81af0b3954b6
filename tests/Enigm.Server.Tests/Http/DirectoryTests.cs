using System.Net.Http.Json;
using Enigm.Relay;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Transparency;
using Xunit;

namespace Enigm.Server.Tests.Http;

/// <summary>Account creation and device-log appends: verified, forks and rollbacks refused, every head in the transparency log.</summary>
public sealed class DirectoryTests
{
    [Fact]
    public async Task Creates_an_account_named_by_its_fingerprint_with_an_inclusion_proof()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = TestAccount.New();

        var response = await relay.Public.PostAsJsonAsync(RelayRoutes.Accounts, new CreateAccountRequest(alice.LogFile), RelayJson.Default.CreateAccountRequest);

        Assert.Equal(201, (int)response.StatusCode);
        var created = await RelayAssert.Ok(response, RelayJson.Default.DeviceLogResponse);
        Assert.Equal(alice.Id, created.Account);
        Assert.Equal(alice.LogFile, created.DeviceLog);
        VerifyProof(relay, created, alice);
    }

    [Fact]
    public async Task Refuses_a_second_account_with_the_same_genesis()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);

        var again = await relay.Public.PostAsJsonAsync(RelayRoutes.Accounts, new CreateAccountRequest(alice.LogFile), RelayJson.Default.CreateAccountRequest);

        await RelayAssert.Problem(again, 409, RelayProblem.AccountExists);
    }

    [Fact]
    public async Task Refuses_a_genesis_that_does_not_verify_and_stores_nothing()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = TestAccount.New();
        var entry = alice.Log.Entries[0].ToArray();
        entry[^10] ^= 1; // inside the self-signature
        var tampered = DeviceLogFile.Encode([entry]);

        var response = await relay.Public.PostAsJsonAsync(RelayRoutes.Accounts, new CreateAccountRequest(tampered), RelayJson.Default.CreateAccountRequest);

        await RelayAssert.Problem(response, 422, RelayProblem.LogInvalid);
        Assert.Null(await relay.Store.GetAccountAsync(alice.Id));
        Assert.Equal(0, relay.Store.TransparencyTree.Size);
    }

    [Fact]
    public async Task Refuses_to_create_an_account_from_a_longer_log()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = TestAccount.New();
        alice.AddDevice("laptop");

        var response = await relay.Public.PostAsJsonAsync(RelayRoutes.Accounts, new CreateAccountRequest(alice.LogFile), RelayJson.Default.CreateAccountRequest);

        await RelayAssert.Problem(response, 422, RelayProblem.LogInvalid);
    }

    [Fact]
    public async Task Append_extending_the_log_is_stored_and_logged()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var phone = relay.Client(await alice.LoginAsync(relay, "phone"));
        alice.AddDevice("laptop");

        var appended = await RelayAssert.Ok(await alice.PushLogAsync(phone), RelayJson.Default.DeviceLogResponse);

        Assert.Equal(alice.LogFile, appended.DeviceLog);
        Assert.Equal(1, appended.LeafIndex);
        VerifyProof(relay, appended, alice);
        var stored = await relay.Store.GetAccountAsync(alice.Id);
        Assert.Equal(2, stored!.LogEntries);
        Assert.Contains(stored.Devices, d => d.Device == "laptop" && !d.Revoked);
        var read = await RelayAssert.Ok(await phone.GetAsync(RelayRoutes.AccountLog.Replace("{account}", alice.Id, StringComparison.Ordinal)), RelayJson.Default.DeviceLogResponse);
        Assert.Equal(alice.LogFile, read.DeviceLog);
    }

    [Fact]
    public async Task Refuses_a_fork_and_keeps_the_stored_log()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var phone = relay.Client(await alice.LoginAsync(relay, "phone"));
        var genesis = alice.Log.Entries[0];
        alice.AddDevice("laptop");
        await RelayAssert.Ok(await alice.PushLogAsync(phone), RelayJson.Default.DeviceLogResponse);

        // Another history from the same genesis: a different entry 1.
        var forked = DeviceLogWriter.Open([genesis]);
        forked.AddDevice("tablet", "tablet", TestAccount.Scheme.GenerateKey(), "phone", alice.Key("phone"));
        var response = await alice.PushLogAsync(phone, DeviceLogFile.Encode(forked.Entries));

        await RelayAssert.Problem(response, 409, RelayProblem.LogFork);
        var stored = await relay.Store.GetAccountAsync(alice.Id);
        Assert.Equal(alice.LogFile, stored!.DeviceLog);
        Assert.Equal(2, relay.Store.TransparencyTree.Size);
    }

    [Fact]
    public async Task Refuses_a_rollback_to_a_shorter_log()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var phone = relay.Client(await alice.LoginAsync(relay, "phone"));
        var genesisOnly = alice.LogFile;
        alice.AddDevice("laptop");
        await RelayAssert.Ok(await alice.PushLogAsync(phone), RelayJson.Default.DeviceLogResponse);

        var response = await alice.PushLogAsync(phone, genesisOnly);

        await RelayAssert.Problem(response, 409, RelayProblem.LogRollback);
        Assert.Equal(2, (await relay.Store.GetAccountAsync(alice.Id))!.LogEntries);
    }

    [Fact]
    public async Task Refuses_an_appended_entry_that_does_not_verify()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var phone = relay.Client(await alice.LoginAsync(relay, "phone"));
        alice.AddDevice("laptop");
        var entries = alice.Log.Entries.Select(e => e.ToArray()).ToList();
        entries[1][^5] ^= 1;

        var response = await alice.PushLogAsync(phone, DeviceLogFile.Encode(entries));

        await RelayAssert.Problem(response, 422, RelayProblem.LogInvalid);
        Assert.Equal(1, (await relay.Store.GetAccountAsync(alice.Id))!.LogEntries);
    }

    [Fact]
    public async Task Only_a_device_of_the_account_appends_to_its_log()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        using var bobPhone = relay.Client(await bob.LoginAsync(relay, "phone"));
        alice.AddDevice("laptop");

        await RelayAssert.Problem(await alice.PushLogAsync(bobPhone), 403, RelayProblem.Forbidden);
        Assert.Equal(1, (await relay.Store.GetAccountAsync(alice.Id))!.LogEntries);
    }

    [Fact]
    public async Task Serves_consistency_between_tree_heads()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        var first = SignedTreeHead.Parse((await RelayAssert.Ok(await relay.Public.GetAsync(RelayRoutes.TreeHead), RelayJson.Default.TreeHeadResponse)).SignedTreeHead);
        using var bob = await TestAccount.CreateAsync(relay);
        using var carol = await TestAccount.CreateAsync(relay);
        var head = await RelayAssert.Ok(await relay.Public.GetAsync(RelayRoutes.TreeHead), RelayJson.Default.TreeHeadResponse);
        var second = SignedTreeHead.Parse(head.SignedTreeHead);
        new TreeHeadVerifier(relay.Server.LogId, head.LogPublicKey).Verify(second);

        var proof = await RelayAssert.Ok(await relay.Public.GetAsync($"{RelayRoutes.Consistency}?from={first.TreeSize}&to={second.TreeSize}"), RelayJson.Default.ConsistencyResponse);

        Assert.Equal(3, second.TreeSize);
        MerkleVerifier.VerifyConsistency(first.TreeSize, second.TreeSize, first.RootHash, second.RootHash, proof.Path);
        var inclusion = await RelayAssert.Ok(await relay.Public.GetAsync($"{RelayRoutes.Inclusion}?account={bob.Id}&size=3"), RelayJson.Default.InclusionResponse);
        MerkleVerifier.VerifyInclusion(inclusion.LeafIndex, 3, MerkleHashing.LeafHash(inclusion.LeafData), inclusion.Path, second.RootHash);
        Assert.Equal(bob.Id, TransparencyLeaf.Parse(inclusion.LeafData).Account.Hex);
    }

    [Fact]
    public async Task A_log_stored_without_its_head_in_the_transparency_log_gets_it_when_served()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = TestAccount.New();
        // What a relay killed between storing the log and the transparency append leaves behind: the log, marked, no leaf.
        Assert.True(await relay.Store.CreateAccountAsync(alice.Id, alice.LogFile, [new("phone", false)], DateTimeOffset.UtcNow));
        Assert.Equal([alice.Id], await relay.Store.AccountsWithPendingHeadAsync(10));
        Assert.Null(await relay.Store.LatestLeafAsync(alice.Id));

        using var phone = relay.Client(await alice.LoginAsync(relay, "phone"));
        var served = await RelayAssert.Ok(await phone.GetAsync(RelayRoutes.AccountLog.Replace("{account}", alice.Id, StringComparison.Ordinal)), RelayJson.Default.DeviceLogResponse);

        Assert.Equal(0, served.LeafIndex);
        VerifyProof(relay, served, alice);
        Assert.Empty(await relay.Store.AccountsWithPendingHeadAsync(10));
    }

    [Fact]
    public async Task The_sweep_logs_each_pending_head_once_and_skips_one_already_logged()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var logged = await TestAccount.CreateAsync(relay);
        using var alice = TestAccount.New();
        using var bob = TestAccount.New();
        foreach (var crashed in new[] { alice, bob })
            Assert.True(await relay.Store.CreateAccountAsync(crashed.Id, crashed.LogFile, [new("phone", false)], DateTimeOffset.UtcNow));
        // Killed after the append but before the mark was cleared: the same log stored again leaves the mark set.
        Assert.True(await relay.Store.ReplaceDeviceLogAsync(logged.Id, 1, logged.LogFile, 1, [new("phone", false)]));
        Assert.Equal(3, (await relay.Store.AccountsWithPendingHeadAsync(10)).Count);

        await relay.Server.SweepAsync();

        Assert.Empty(await relay.Store.AccountsWithPendingHeadAsync(10));
        Assert.Equal(3, (await relay.Store.StatsAsync()).TransparencyLogSize);
        Assert.Equal(0, (await relay.Store.LatestLeafAsync(logged.Id))!.Value.Index);
        Assert.NotNull(await relay.Store.LatestLeafAsync(alice.Id));
        Assert.NotNull(await relay.Store.LatestLeafAsync(bob.Id));
    }

    /// <summary>The response's tree head is signed by the relay's log key and includes the account's newest head.</summary>
    private static void VerifyProof(RelayFixture relay, DeviceLogResponse response, TestAccount account)
    {
        var head = SignedTreeHead.Parse(response.SignedTreeHead);
        new TreeHeadVerifier(relay.Server.LogId, relay.Server.LogPublicKey).Verify(head);
        var leaf = new TransparencyLeaf(account.Log.Account, account.Log.Head.Hash, (ulong)account.Log.Head.Sequence);
        MerkleVerifier.VerifyInclusion(response.LeafIndex, head.TreeSize, leaf.LeafHash(), response.InclusionPath, head.RootHash);
    }
}
