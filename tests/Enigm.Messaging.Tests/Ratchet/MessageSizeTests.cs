using Enigm.Messaging.Ratchet;
using Xunit;
using Xunit.Abstractions;

namespace Enigm.Messaging.Tests.Ratchet;

/// <summary>Bytes per message, as docs/protocol.md ("Triple Ratchet", cost per message) states them.</summary>
public sealed class MessageSizeTests(ITestOutputHelper output)
{
    [Fact]
    public void Post_quantum_fields_cost_at_most_40_bytes_per_message_on_average()
    {
        using var pair = SessionPair.Create();
        var (messages, pqBytes, withChunk, totalOverhead) = (0, 0, 0, 0);
        for (var i = 0; i < 300; i++)
        {
            foreach (var (sender, receiver) in new[] { (pair.Alice, pair.Bob), (pair.Bob, pair.Alice) })
            {
                var wire = sender.Encrypt(new byte[1024]);
                receiver.Decrypt(wire);
                var (header, _, _) = RatchetMessage.Decode(wire);
                var bare = header with { PqEpoch = 0, PqMessageNumber = 0, ChunkIndex = 0, Chunk = [] };
                // The four PQ fields at their smallest encode to one byte each.
                pqBytes += RatchetMessage.EncodeHeader(header).Length - RatchetMessage.EncodeHeader(bare).Length + 4;
                totalOverhead += wire.Length - 1024;
                withChunk += header.HasChunk ? 1 : 0;
                messages++;
            }
        }

        var average = (double)pqBytes / messages;
        output.WriteLine($"{messages} messages, {withChunk} with a chunk, PQ bytes/message {average:F1}, total overhead/message {(double)totalOverhead / messages:F1}, epochs {pair.Alice.PostQuantumEpochs}");
        Assert.True(average <= 40, $"PQ overhead {average:F1} bytes per message");
    }
}
