using Enigm.Messaging.Sessions;
using Enigm.Messaging.Tests.Support;
using Xunit;

namespace Enigm.Messaging.Tests.Sessions;

/// <summary>
/// Both devices start a session to each other before either has answered (docs/protocol.md, "Simultaneous
/// initiation"): they converge on one session, deterministically, and no message is lost.
/// </summary>
public sealed class SimultaneousInitiationTests : IDisposable
{
    private readonly InMemoryNetwork _net = new();
    private readonly TestAccount _alice;
    private readonly TestAccount _bob;

    public SimultaneousInitiationTests()
    {
        _alice = _net.AddAccount("alice", devices: 1);
        _bob = _net.AddAccount("bob", devices: 1);
    }

    public void Dispose() => _net.Dispose();

    private TestDevice A => _alice.Primary;

    private TestDevice B => _bob.Primary;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Both_sides_converge_on_one_session_and_every_message_decrypts(bool aliceReadsFirst)
    {
        _net.Send(_alice, A, _bob, "a1");
        _net.Send(_bob, B, _alice, "b1");
        _net.Send(_alice, A, _bob, "a2");
        _net.Send(_bob, B, _alice, "b2");

        if (aliceReadsFirst)
        {
            Assert.Equal(["b1", "b2"], _net.Receive(A));
            _net.Send(_alice, A, _bob, "a3"); // sent after Alice chose, before Bob has read anything
            Assert.Equal(["a1", "a2", "a3"], _net.Receive(B));
        }
        else
        {
            Assert.Equal(["a1", "a2"], _net.Receive(B));
            _net.Send(_bob, B, _alice, "b3");
            Assert.Equal(["b1", "b2", "b3"], _net.Receive(A));
        }

        for (var round = 0; round < 3; round++)
        {
            _net.Send(_alice, A, _bob, $"a-{round}");
            _net.Send(_bob, B, _alice, $"b-{round}");
            Assert.Equal([$"b-{round}"], _net.Receive(A));
            Assert.Equal([$"a-{round}"], _net.Receive(B));
        }

        var alice = _net.Cipher(A).Describe(InMemoryNetwork.Address(_bob, B))!;
        var bob = _net.Cipher(B).Describe(InMemoryNetwork.Address(_alice, A))!;
        // One session: one side is its initiator and the other its responder, and both have seen the other's answer.
        Assert.NotEqual(alice.IsInitiator, bob.IsInitiator);
        Assert.False(alice.AwaitingAnswer);
        Assert.False(bob.AwaitingAnswer);
    }

    [Fact]
    public void Interleaved_delivery_loses_nothing_and_converges()
    {
        _net.Send(_alice, A, _bob, "a1");
        _net.Send(_bob, B, _alice, "b1");
        var toBob = _net.Collect(B);
        var toAlice = _net.Collect(A);
        // Each reads the other's first message only after sending a second one on its own session.
        _net.Send(_alice, A, _bob, "a2");
        _net.Send(_bob, B, _alice, "b2");
        Assert.Equal("b1", Text(_net.Cipher(A).Decrypt(toAlice[0])));
        Assert.Equal("a1", Text(_net.Cipher(B).Decrypt(toBob[0])));
        Assert.Equal(["b2"], _net.Receive(A));
        Assert.Equal(["a2"], _net.Receive(B));

        _net.Send(_alice, A, _bob, "a3");
        _net.Send(_bob, B, _alice, "b3");
        Assert.Equal(["b3"], _net.Receive(A));
        Assert.Equal(["a3"], _net.Receive(B));
        _net.Send(_alice, A, _bob, "a4");
        Assert.Equal(["a4"], _net.Receive(B));

        var alice = _net.Cipher(A).Describe(InMemoryNetwork.Address(_bob, B))!;
        var bob = _net.Cipher(B).Describe(InMemoryNetwork.Address(_alice, A))!;
        Assert.NotEqual(alice.IsInitiator, bob.IsInitiator);
    }

    private static string Text(DecryptedMessage message) => System.Text.Encoding.UTF8.GetString(message.Plaintext);
}
