using Enigm.Client.Tests.Support;
using Xunit;

namespace Enigm.Client.Tests.EndToEnd;

/// <summary>The background sync loop: delivery over the relay's WebSocket, and a clean stop on cancellation.</summary>
public sealed class SyncLoopTests : IAsyncLifetime
{
    private readonly TestDevices _devices = new();
    private TestRelay _relay = null!;
    private EnigmClient _alice = null!;
    private EnigmClient _bob = null!;

    public async Task InitializeAsync()
    {
        _relay = await TestRelay.StartAsync();
        _alice = await _devices.CreateAsync("alice", _relay.Url);
        _bob = await _devices.CreateAsync("bob", _relay.Url);
        await _alice.AddContactAsync("bob", _bob.Account);
        await _bob.AddContactAsync("alice", _alice.Account);
    }

    public async Task DisposeAsync()
    {
        _alice.Dispose();
        _bob.Dispose();
        await _relay.DisposeAsync();
        _devices.Dispose();
    }

    [Fact]
    public async Task Sync_loop_receives_stores_and_acknowledges_messages_until_cancelled()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = new List<ReceivedMessage>();
        var gotBoth = new TaskCompletionSource();
        var loop = _bob.RunSyncAsync(message =>
        {
            lock (received)
            {
                received.Add(message);
                if (received.Count == 2) gotBoth.TrySetResult();
            }

            return Task.CompletedTask;
        }, cancellation: stop.Token);

        await _alice.SendTextAsync("bob", "one");
        await _alice.SendTextAsync("bob", "two");
        await gotBoth.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The ack follows the handler, so it may still be in flight here: wait (bounded) for the loop to
        // acknowledge both before stopping it. A loop that never acks leaves the mailbox full and fails below.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await _bob.Relay.MailboxAsync(10, 0, CancellationToken.None)).Messages.Length > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["one", "two"], received.Select(m => m.Text));
        Assert.Equal(2, _bob.StoredMessages().Count);
        // Acknowledged: nothing is left in the mailbox.
        Assert.Empty((await _bob.Relay.MailboxAsync(10, 0, CancellationToken.None)).Messages);
    }
}

/// <summary>Prekey upkeep against the relay.</summary>
public sealed class PrekeyUpkeepTests : IAsyncLifetime
{
    private readonly TestDevices _devices = new();
    private TestRelay _relay = null!;
    private EnigmClient _alice = null!;
    private EnigmClient _bob = null!;

    public async Task InitializeAsync()
    {
        _relay = await TestRelay.StartAsync();
        _alice = await _devices.CreateAsync("alice", _relay.Url);
        _bob = await _devices.CreateAsync("bob", _relay.Url);
    }

    public async Task DisposeAsync()
    {
        _alice.Dispose();
        _bob.Dispose();
        await _relay.DisposeAsync();
        _devices.Dispose();
    }

    [Fact]
    public async Task One_time_prekeys_handed_out_by_the_relay_are_replenished()
    {
        Assert.False((await _bob.MaintainPrekeysAsync()).Uploaded);
        for (var i = 0; i < 3; i++) await _alice.Relay.BundleAsync(_bob.Account, _bob.DeviceId, CancellationToken.None);
        var low = await _bob.Relay.PrekeyCountAsync(CancellationToken.None);
        Assert.Equal(1, low.OneTimePrekeys);

        var status = await _bob.MaintainPrekeysAsync();
        Assert.True(status.Uploaded);
        Assert.Equal(4, status.OneTimePrekeys);
        Assert.Equal(3, status.OneTimeKemPrekeys);
    }

    [Fact]
    public async Task A_rotated_signed_prekey_is_published_and_sessions_still_start()
    {
        var status = await _bob.MaintainPrekeysAsync(rotateSignedPrekey: true);
        Assert.True(status.Uploaded);
        Assert.True(status.SignedPrekeyRotated);

        await _alice.AddContactAsync("bob", _bob.Account);
        await _alice.SendTextAsync("bob", "after rotation");
        Assert.Equal("after rotation", Assert.Single((await _bob.ReceiveAsync(TimeSpan.FromSeconds(5))).Messages).Text);
    }
}
