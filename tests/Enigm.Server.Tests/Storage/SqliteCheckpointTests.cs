using System.Collections.Concurrent;
using System.Security.Cryptography;
using Enigm.Relay;
using Enigm.Server.Storage.Sqlite;
using Xunit;

namespace Enigm.Server.Tests.Storage;

/// <summary>
/// The background checkpoint (<c>WalCheckpointer</c>, off the commit path) copies the WAL into the database file while
/// submits and acks go on: nothing accepted is lost, nothing acknowledged comes back, and the files alone, reopened,
/// hold exactly that. (A SIGKILL during a burst, checkpoints included, is <see cref="SqliteDurabilityTests"/>.)
/// </summary>
public sealed class SqliteCheckpointTests : IDisposable
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    private readonly string _directory = Directory.CreateTempSubdirectory("enigm-relay-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Checkpoints_during_submits_and_acks_lose_nothing_and_the_reopened_files_hold_every_accepted_message()
    {
        var path = Path.Combine(_directory, "relay.db");
        var accepted = new ConcurrentDictionary<string, long>(StringComparer.Ordinal); // message id -> seq
        var acked = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var store = new SqliteRelayStore(path);
        await using (store)
        {
            await store.MigrateAsync();
            var before = new FileInfo(path).Length;
            var grewWhileSubmitting = false;
            var until = DateTime.UtcNow.AddSeconds(20);
            await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
            {
                var device = "d" + worker;
                // Until a checkpoint has copied pages into the database file while this burst runs (it runs every 200 ms).
                for (var round = 0; (round < 40 || !Volatile.Read(ref grewWhileSubmitting)) && DateTime.UtcNow < until; round++)
                {
                    var message = new OutgoingMessage(device, RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(2048));
                    Assert.Equal(1, await store.EnqueueAsync("bob", [message], T0));
                    var id = Convert.ToHexStringLower(message.MessageId);
                    var seq = (await store.FetchAsync("bob", device, 0, 1000)).Single(m => m.MessageId.AsSpan().SequenceEqual(message.MessageId)).Seq;
                    accepted[id] = seq;
                    // Every other message is acknowledged at once: deletes interleave with the inserts and the checkpoints.
                    if (round % 2 == 1)
                    {
                        await store.AckAsync("bob", device, [seq]);
                        acked[id] = true;
                    }

                    if (new FileInfo(path).Length > before + (256 << 10)) Volatile.Write(ref grewWhileSubmitting, true);
                }
            })));
            Assert.True(grewWhileSubmitting, "no checkpoint copied the WAL into the database file while submits went on");
        }

        // Only the files: a fresh store over them.
        await using var reopened = new SqliteRelayStore(path);
        await reopened.MigrateAsync();
        var stored = new List<string>();
        for (var worker = 0; worker < 8; worker++)
            stored.AddRange((await reopened.FetchAsync("bob", "d" + worker, 0, 100_000)).Select(m => Convert.ToHexStringLower(m.MessageId)));
        Assert.Equal(stored.Count, stored.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(accepted.Keys.Where(id => !acked.ContainsKey(id)).Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
    }
}
