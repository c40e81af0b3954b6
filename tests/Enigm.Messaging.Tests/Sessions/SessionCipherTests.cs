using System.Text;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.SealedSender;
using Enigm.Messaging.Sessions;
using Enigm.Messaging.Tests.Support;
using Enigm.Trust.Errors;
using Enigm.Trust.States;
using Xunit;

namespace Enigm.Messaging.Tests.Sessions;

/// <summary>End to end: PQXDH, the Triple Ratchet, sealed sender and fan-out together, over an in-memory relay.</summary>
public sealed class SessionCipherTests : IDisposable
{
    private readonly InMemoryNetwork _net = new();
    private readonly TestAccount _alice;
    private readonly TestAccount _bob;

    public SessionCipherTests()
    {
        _alice = _net.AddAccount("alice", devices: 2);
        _bob = _net.AddAccount("bob", devices: 3);
    }

    public void Dispose() => _net.Dispose();

    private TestDevice A0 => _alice.Devices[0];

    private TestDevice B0 => _bob.Devices[0];

    private SessionAddress AddressOf(TestDevice device) =>
        InMemoryNetwork.Address(_alice.Devices.Contains(device) ? _alice : _bob, device);

    private static string Text(DecryptedMessage message) => Encoding.UTF8.GetString(message.Plaintext);

    [Fact]
    public void Alice_with_two_devices_and_Bob_with_three_converse_and_every_device_reads_every_message()
    {
        var first = _net.Send(_alice, A0, _bob, "hello bob");
        Assert.Equal(4, first.Count); // Bob's three devices and Alice's other one
        Assert.All(first, m => Assert.Equal(SessionEvent.Established, m.Event));
        foreach (var device in _bob.Devices.Append(_alice.Devices[1]))
            Assert.Equal(["hello bob"], _net.Receive(device));

        _net.Send(_bob, B0, _alice, "hi alice");
        Assert.Equal(["hi alice"], _net.Receive(A0));
        Assert.Equal(["hi alice"], _net.Receive(_alice.Devices[1]));
        Assert.Equal(["hi alice"], _net.Receive(_bob.Devices[1]));
        Assert.Equal(["hi alice"], _net.Receive(_bob.Devices[2]));

        var second = _net.Send(_alice, A0, _bob, "how are you");
        Assert.All(second, m => Assert.Equal(SessionEvent.None, m.Event));
        foreach (var device in _bob.Devices.Append(_alice.Devices[1]))
            Assert.Equal(["how are you"], _net.Receive(device));
        Assert.Empty(_net.Relay);
    }

    [Fact]
    public void The_initial_message_travels_until_the_peer_answers_so_losing_the_first_message_loses_nothing_else()
    {
        var alice = _net.Cipher(A0);
        var bob = _net.Cipher(B0);
        var messages = Enumerable.Range(0, 6).Select(i => alice.Encrypt(AddressOf(B0), Encoding.UTF8.GetBytes($"m{i}"))).ToList();
        Assert.True(alice.Describe(AddressOf(B0))!.AwaitingAnswer);

        // m0 is lost, the rest arrive reordered; the first to arrive sets up Bob's session, the others reuse it.
        var received = new[] { 3, 1, 5, 2, 4 }.Select(i => bob.Decrypt(messages[i].Envelope)).ToList();
        Assert.Equal(["m3", "m1", "m5", "m2", "m4"], received.Select(Text));
        Assert.Equal(SessionEvent.Established, received[0].Event);
        Assert.All(received.Skip(1), r => Assert.Equal(SessionEvent.None, r.Event));

        alice.Decrypt(bob.Encrypt(AddressOf(A0), "answer"u8).Envelope);
        Assert.False(alice.Describe(AddressOf(B0))!.AwaitingAnswer);
        Assert.Equal("after", Text(bob.Decrypt(alice.Encrypt(AddressOf(B0), "after"u8).Envelope)));
    }

    [Fact]
    public void Duplicates_are_refused_and_the_session_goes_on()
    {
        var alice = _net.Cipher(A0);
        var bob = _net.Cipher(B0);
        bob.Decrypt(alice.Encrypt(AddressOf(B0), "setup"u8).Envelope);
        alice.Decrypt(bob.Encrypt(AddressOf(A0), "answer"u8).Envelope);
        var message = alice.Encrypt(AddressOf(B0), "once"u8);

        Assert.Equal("once", Text(bob.Decrypt(message.Envelope)));
        Assert.Throws<RatchetReplayException>(() => bob.Decrypt(message.Envelope));
        Assert.Equal("next", Text(bob.Decrypt(alice.Encrypt(AddressOf(B0), "next"u8).Envelope)));
    }

    [Fact]
    public void A_PQ_epoch_completes_over_the_full_stack()
    {
        var alice = _net.Cipher(A0);
        var bob = _net.Cipher(B0);
        for (var round = 0; round < 2000 && (alice.Describe(AddressOf(B0))?.PostQuantumEpochs ?? 0) < 1; round++)
        {
            bob.Decrypt(alice.Encrypt(AddressOf(B0), "a"u8).Envelope);
            alice.Decrypt(bob.Encrypt(AddressOf(A0), "b"u8).Envelope);
        }

        Assert.True(alice.Describe(AddressOf(B0))!.PostQuantumEpochs >= 1);
        Assert.True(bob.Describe(AddressOf(A0))!.PostQuantumEpochs >= 1);
    }

    [Fact]
    public void A_revoked_device_receives_nothing_and_what_it_sends_is_refused()
    {
        _net.Send(_alice, A0, _bob, "before");
        var revoked = _bob.Devices[2];
        Assert.Equal(["before"], _net.Receive(revoked));
        var stillSending = _net.Cipher(revoked).Encrypt(AddressOf(A0), "from a lost phone"u8);
        _bob.Revoke(revoked);

        var after = _net.Send(_alice, A0, _bob, "after");

        Assert.DoesNotContain(after, m => m.To.DeviceId == revoked.Id);
        Assert.Empty(_net.Collect(revoked));
        Assert.Throws<UntrustedDeviceException>(() => _net.Cipher(A0).Decrypt(stillSending.Envelope));
    }

    [Fact]
    public void A_tampered_envelope_is_refused_by_sealed_sender()
    {
        var message = _net.Cipher(A0).Encrypt(AddressOf(B0), "hello"u8);

        var tampered = Bytes.Flip(message.Envelope, message.Envelope.Length - 20);

        Assert.Throws<SealedSenderException>(() => _net.Cipher(B0).Decrypt(tampered));
        Assert.Equal("hello", Text(_net.Cipher(B0).Decrypt(message.Envelope)));
    }

    [Fact]
    public void A_tampered_ratchet_message_inside_a_valid_seal_is_refused_and_the_session_is_unchanged()
    {
        var alice = _net.Cipher(A0);
        var bob = _net.Cipher(B0);
        bob.Decrypt(alice.Encrypt(AddressOf(B0), "setup"u8).Envelope);
        alice.Decrypt(bob.Encrypt(AddressOf(A0), "answer"u8).Envelope);
        var genuine = alice.Encrypt(AddressOf(B0), "genuine"u8);

        // Re-seal a modified ratchet message: sealed sender opens, the ratchet must refuse it.
        var opened = SealedSenderCipher.OpenEnvelope(B0.Identity, genuine.Envelope, _net.VerifiedLog);
        var forged = SealedSenderCipher.SealToEnvelope(A0.Identity, B0.Identity.Identity, opened.ContentType, Bytes.Flip(opened.Content, opened.Content.Length - 1));

        Assert.Throws<RatchetAuthenticationException>(() => bob.Decrypt(forged));
        Assert.Equal("genuine", Text(bob.Decrypt(genuine.Envelope)));
    }

    [Fact]
    public void A_contact_in_state_changed_is_refused()
    {
        Assert.Throws<ContactChangedException>(() => _net.Send(_alice, A0, _bob, "hello", TrustState.Changed));
        Assert.Empty(_net.Relay);
    }

    [Fact]
    public void A_device_that_lost_its_session_gets_a_visible_fresh_setup_and_later_messages_decrypt()
    {
        var alice = _net.Cipher(A0);
        _net.Cipher(B0).Decrypt(alice.Encrypt(AddressOf(B0), "setup"u8).Envelope);
        alice.Decrypt(_net.Cipher(B0).Encrypt(AddressOf(A0), "answer"u8).Envelope);

        _net.ResetSessions(B0); // Bob's device lost its session state
        var bob = _net.Cipher(B0);
        Assert.Throws<SessionNotFoundException>(() => bob.Decrypt(alice.Encrypt(AddressOf(B0), "lost"u8).Envelope));

        var fresh = bob.Encrypt(AddressOf(A0), "new session"u8);
        Assert.Equal(SessionEvent.Reestablished, fresh.Event);
        var received = alice.Decrypt(fresh.Envelope);
        Assert.Equal(SessionEvent.Reestablished, received.Event);
        Assert.Equal("new session", Text(received));
        Assert.Equal("later", Text(bob.Decrypt(alice.Encrypt(AddressOf(B0), "later"u8).Envelope)));
    }

    [Fact]
    public void Parallel_encrypts_and_decrypts_on_one_session_never_corrupt_it()
    {
        var alice = _net.Cipher(A0);
        var bob = _net.Cipher(B0);
        bob.Decrypt(alice.Encrypt(AddressOf(B0), "setup"u8).Envelope);
        alice.Decrypt(bob.Encrypt(AddressOf(A0), "answer"u8).Envelope);

        var sent = new System.Collections.Concurrent.ConcurrentBag<(string Text, byte[] Envelope)>();
        Parallel.For(0, 40, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var text = $"p{i}";
            sent.Add((text, alice.Encrypt(AddressOf(B0), Encoding.UTF8.GetBytes(text)).Envelope));
        });
        var decrypted = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.ForEach(sent, new ParallelOptions { MaxDegreeOfParallelism = 4 }, m => decrypted.Add(Text(bob.Decrypt(m.Envelope))));

        Assert.Equal(sent.Select(m => m.Text).Order(), decrypted.Order());
        Assert.Equal(40, decrypted.Distinct().Count());
    }

    [Fact]
    public void A_session_is_kept_under_the_peer_account_and_device()
    {
        _net.Cipher(A0).Encrypt(AddressOf(B0), "x"u8);

        Assert.True(_net.Cipher(A0).HasSession(AddressOf(B0)));
        Assert.False(_net.Cipher(A0).HasSession(AddressOf(_bob.Devices[1])));
        Assert.True(_net.Cipher(A0).Describe(AddressOf(B0))!.IsInitiator);
    }
}
