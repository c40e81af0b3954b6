using Enigm.Messaging.Errors;
using Xunit;

namespace Enigm.Messaging.Tests.Ratchet;

/// <summary>
/// Property: over random delivery schedules between two parties (messages dropped, reordered within a
/// window, duplicated), every delivered message decrypts exactly once to its own plaintext, every
/// duplicate is refused as a replay, and the post-quantum ratchet keeps completing epochs under 30% loss.
/// </summary>
public sealed class DeliveryScheduleProperties
{
    private sealed record InFlight(int Id, bool FromAlice, byte[] Wire, int DeliverAt);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Every_delivered_message_decrypts_exactly_once_and_epochs_advance_under_loss(int seed)
    {
        const int steps = 1500;
        const double loss = 0.30;
        const double duplicate = 0.10;
        const int maxDelay = 12;
        var random = new Random(seed);
        using var pair = SessionPair.Create();
        pair.Bob.Decrypt(pair.Alice.Encrypt("open"u8)); // the responder cannot speak first (§3.3)

        var inFlight = new List<InFlight>();
        var plaintexts = new Dictionary<int, byte[]>();
        var decrypted = new HashSet<int>();
        var (delivered, replaysRefused) = (0, 0);
        for (var step = 0; step < steps; step++)
        {
            var fromAlice = random.Next(2) == 0;
            var text = new byte[random.Next(0, 64)];
            random.NextBytes(text);
            plaintexts[step] = text;
            var wire = (fromAlice ? pair.Alice : pair.Bob).Encrypt(text);
            if (random.NextDouble() >= loss)
            {
                inFlight.Add(new InFlight(step, fromAlice, wire, step + random.Next(0, maxDelay)));
                if (random.NextDouble() < duplicate) inFlight.Add(new InFlight(step, fromAlice, wire, step + random.Next(0, 3 * maxDelay)));
            }

            foreach (var message in inFlight.Where(m => m.DeliverAt <= step).OrderBy(_ => random.Next()).ToList())
            {
                inFlight.Remove(message);
                var receiver = message.FromAlice ? pair.Bob : pair.Alice;
                if (decrypted.Contains(message.Id))
                {
                    Assert.Throws<RatchetReplayException>(() => receiver.Decrypt(message.Wire));
                    replaysRefused++;
                    continue;
                }

                Assert.Equal(plaintexts[message.Id], receiver.Decrypt(message.Wire));
                decrypted.Add(message.Id);
                delivered++;
            }

            if (step % 500 == 250) pair.Reload(); // state survives a save and load mid-conversation
        }

        Assert.True(delivered > steps / 2, $"only {delivered} delivered");
        Assert.True(replaysRefused > 0);
        Assert.True(pair.Alice.PostQuantumEpochs >= 5, $"Alice reached PQ epoch {pair.Alice.PostQuantumEpochs}");
        Assert.True(pair.Bob.PostQuantumEpochs >= 5, $"Bob reached PQ epoch {pair.Bob.PostQuantumEpochs}");
    }
}
