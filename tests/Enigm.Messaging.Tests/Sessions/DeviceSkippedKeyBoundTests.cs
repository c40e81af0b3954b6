using System.Text;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Ratchet;
using Xunit;

namespace Enigm.Messaging.Tests.Sessions;

/// <summary>
/// RatchetLimits.MaxSkippedKeysPerDevice: many sessions that each stay under their own skipped-key limit cannot
/// together exceed the device's bound; the device-wide oldest keys go first, whichever session holds them.
/// </summary>
public sealed class DeviceSkippedKeyBoundTests
{
    private const int Senders = 12;
    private const int Withheld = 10;

    // Each withheld message leaves one classical and one post-quantum skipped key: 20 per session.
    private const int KeysPerSession = 2 * Withheld;
    private const int DeviceBound = 5 * KeysPerSession;

    [Fact]
    public void Skipped_keys_of_many_sessions_stay_under_the_device_bound_and_the_oldest_are_evicted_first()
    {
        using var network = new InMemoryNetwork { Limits = new RatchetLimits(MaxSkippedKeysPerDevice: DeviceBound) };
        var bob = network.AddAccount("bob", 1);
        var receiver = bob.Devices[0];
        var withheld = new List<(int Sender, byte[] Envelope, string Text)>();
        for (var i = 0; i < Senders; i++)
        {
            var sender = network.AddAccount($"sender{i}", 1);
            network.Send(sender, sender.Primary, bob, $"hello {i}");
            Assert.Equal([$"hello {i}"], network.Receive(receiver));
            for (var n = 0; n < Withheld; n++)
            {
                var envelope = network.Send(sender, sender.Primary, bob, $"late {i}/{n}").Single().Envelope;
                network.Relay.Remove(envelope);
                withheld.Add((i, envelope, $"late {i}/{n}"));
            }

            network.Send(sender, sender.Primary, bob, $"last {i}");
            Assert.Equal([$"last {i}"], network.Receive(receiver));
            Assert.InRange(network.Cipher(receiver).SkippedKeysHeld, 0, DeviceBound);
        }

        var cipher = network.Cipher(receiver);
        Assert.Equal(DeviceBound, cipher.SkippedKeysHeld);
        var kept = Senders - (DeviceBound / KeysPerSession);
        foreach (var (sender, envelope, text) in withheld)
        {
            if (sender >= kept)
                Assert.Equal(text, Encoding.UTF8.GetString(cipher.Decrypt(envelope).Plaintext));
            else
                Assert.Throws<RatchetReplayException>(() => cipher.Decrypt(envelope));
        }

        Assert.Equal(0, cipher.SkippedKeysHeld);
    }

    [Fact]
    public void A_device_bound_above_the_total_evicts_nothing()
    {
        using var network = new InMemoryNetwork { Limits = new RatchetLimits(MaxSkippedKeysPerDevice: 1000) };
        var bob = network.AddAccount("bob", 1);
        var alice = network.AddAccount("alice", 1);
        network.Send(alice, alice.Primary, bob, "hello");
        network.Receive(bob.Primary);
        var late = network.Send(alice, alice.Primary, bob, "late").Single().Envelope;
        network.Relay.Remove(late);
        network.Send(alice, alice.Primary, bob, "last");
        network.Receive(bob.Primary);

        Assert.Equal(2, network.Cipher(bob.Primary).SkippedKeysHeld);
        Assert.Equal("late", Encoding.UTF8.GetString(network.Cipher(bob.Primary).Decrypt(late).Plaintext));
    }

    [Fact]
    public void Rejects_a_device_bound_below_one()
    {
        using var responderKey = CryptoProviders.Default.KeyAgreement(KeyAgreementAlgorithm.X25519).GenerateKey();
        Assert.Throws<ArgumentOutOfRangeException>(() => RatchetSession.CreateInitiator(
            new byte[32], "ad"u8, responderKey.PublicKey, limits: new RatchetLimits(MaxSkippedKeysPerDevice: 0)));
    }
}
