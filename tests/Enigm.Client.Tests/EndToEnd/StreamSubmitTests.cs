using Enigm.Client.Tests.Support;
using Enigm.Relay;
using Xunit;

namespace Enigm.Client.Tests.EndToEnd;

/// <summary>
/// Identified submits ride the device's open delivery stream instead of HTTP, with the HTTP path's refusal handling: a
/// devices mismatch answered on the stream refreshes the recipient's device log and sends again.
/// </summary>
public sealed class StreamSubmitTests : IAsyncLifetime
{
    private readonly TestDevices _devices = new();
    private readonly CountingHandler _aliceHttp = new();
    private TestRelay _relay = null!;
    private EnigmClient _alice = null!;
    private EnigmClient _bob = null!;

    public async Task InitializeAsync()
    {
        _relay = await TestRelay.StartAsync();
        _alice = await EnigmClient.CreateAccountAsync(_devices.Options("alice", _relay.Url) with { HttpHandler = _aliceHttp }, "alice", TestDevices.Protector());
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
        _aliceHttp.Dispose();
    }

    [Fact]
    public async Task With_the_sync_loop_running_a_message_is_submitted_on_the_stream_not_over_http()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var loop = _alice.RunSyncAsync(cancellation: stop.Token);
        await _aliceHttp.StreamOpenedAsync();

        await _alice.SendTextAsync("bob", "over the stream");

        Assert.Equal(0, _aliceHttp.Submits);
        var received = await _bob.ReceiveAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("over the stream", Assert.Single(received.Messages).Text);
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_devices_mismatch_answered_on_the_stream_refreshes_the_log_and_reaches_the_new_device()
    {
        // Alice pins Bob's one-device log, then Bob links a laptop: her next submit names only the phone.
        await _alice.SendTextAsync("bob", "before the laptop");
        Assert.Equal(1, _aliceHttp.Submits);
        using var laptop = await _devices.LinkAsync(_bob, "bob-laptop", _relay.Url);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var loop = _alice.RunSyncAsync(cancellation: stop.Token);
        await _aliceHttp.StreamOpenedAsync();

        var sent = await _alice.SendTextAsync("bob", "after the laptop");

        Assert.Equal(2, sent.RecipientDevices);
        Assert.Equal(1, _aliceHttp.Submits); // the 409 and the retry both went over the stream
        var onLaptop = await laptop.ReceiveAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("after the laptop", onLaptop.Messages.Select(m => m.Text));
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Counts HTTP submits, and notices when the delivery stream's upgrade was answered.</summary>
    private sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly TaskCompletionSource _streamOpened = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _submits;

        public int Submits => Volatile.Read(ref _submits);

        /// <summary>Waits for the upgrade's answer, then a moment for the client to register the open stream.</summary>
        public async Task StreamOpenedAsync()
        {
            await _streamOpened.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await Task.Delay(200);
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath == RelayRoutes.Messages) Interlocked.Increment(ref _submits);
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri!.AbsolutePath == RelayRoutes.MailboxStream) _streamOpened.TrySetResult();
            return response;
        }
    }
}
