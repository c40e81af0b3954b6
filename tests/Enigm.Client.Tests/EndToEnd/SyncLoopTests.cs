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
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["one", "two"], received.Select(m => m.Text));
        Assert.Equal(2, _bob.StoredMessages().Count);
        // Acknowledged: nothing is left in the mailbox.
        Assert.Empty((await _bob.Relay.MailboxAsync(10, 0, CancellationToken.None)).Messages);
    }
}
