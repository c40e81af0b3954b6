using Enigm.Client.Tests.Support;
using Xunit;

namespace Enigm.Client.Tests.Calls;

/// <summary>A call between two accounts through a real relay: signalling over the pairwise sessions, media through the relay room.</summary>
public sealed class CallTests : IAsyncLifetime
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
    public async Task Both_sides_show_the_same_SAS_and_each_reads_the_others_frames()
    {
        var options = new CallOptions { Duration = TimeSpan.FromSeconds(2), RingTimeout = TimeSpan.FromSeconds(30) };
        var answering = _bob.AnswerCallAsync(options);
        var calling = _alice.StartCallAsync(["bob"], options);
        var (caller, callee) = (await calling, await answering);

        Assert.Equal(Assert.Single(caller.Peers).Sas, Assert.Single(callee.Peers).Sas);
        Assert.Equal(caller.CallId, callee.CallId);
        Assert.Equal("AES_256_GCM_SHA512_128", caller.Suite);
        Assert.True(caller.FramesSent > 20, $"caller sent {caller.FramesSent}");
        Assert.True(callee.FramesSent > 20, $"callee sent {callee.FramesSent}");
        Assert.True(callee.FramesReceived > 10, $"callee received {callee.FramesReceived}");
        Assert.True(caller.FramesReceived > 10, $"caller received {caller.FramesReceived}");
        Assert.Equal(0, caller.FramesRejected);
        Assert.Equal(0, callee.FramesRejected);
    }

    [Fact]
    public async Task Nobody_answering_is_a_typed_call_setup_error()
    {
        var options = new CallOptions { Duration = TimeSpan.FromSeconds(1), RingTimeout = TimeSpan.FromSeconds(2) };
        await Assert.ThrowsAsync<Messaging.Errors.CallSetupException>(() => _alice.StartCallAsync(["bob"], options));
    }
}
