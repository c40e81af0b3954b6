using System.Collections.Concurrent;
using System.Text;
using Enigm.Messaging.Ratchet;
using Xunit;

namespace Enigm.Messaging.Tests.Ratchet;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Parallel_encrypts_and_decrypts_on_one_session_never_corrupt_it()
    {
        using var pair = SessionPair.Create();
        pair.Bob.Decrypt(pair.Alice.Encrypt("open"u8));
        const int threads = 4;
        const int perThread = 60;

        // Four threads encrypt on Alice at once; every message gets its own key.
        var toBob = new ConcurrentBag<(string Text, byte[] Wire)>();
        await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < perThread; i++)
            {
                var text = $"alice {t}/{i}";
                toBob.Add((text, pair.Alice.Encrypt(Encoding.UTF8.GetBytes(text))));
            }
        })));

        // Meanwhile-style mix: Bob decrypts from two threads while two more threads encrypt on Bob.
        var items = toBob.ToArray();
        var toAlice = new ConcurrentBag<(string Text, byte[] Wire)>();
        var decryptedByBob = new ConcurrentBag<string>();
        var work = new List<Task>();
        for (var t = 0; t < 2; t++)
        {
            var slice = items.Where((_, index) => index % 2 == t).ToArray();
            work.Add(Task.Run(() =>
            {
                foreach (var (_, wire) in slice) decryptedByBob.Add(Encoding.UTF8.GetString(pair.Bob.Decrypt(wire)));
            }));
            var sender = t;
            work.Add(Task.Run(() =>
            {
                for (var i = 0; i < perThread; i++)
                {
                    var text = $"bob {sender}/{i}";
                    toAlice.Add((text, pair.Bob.Encrypt(Encoding.UTF8.GetBytes(text))));
                }
            }));
        }

        await Task.WhenAll(work);
        Assert.Equal(items.Select(i => i.Text).Order(), decryptedByBob.Order());

        var decryptedByAlice = new ConcurrentBag<string>();
        await Task.WhenAll(toAlice.Chunk(toAlice.Count / threads + 1).Select(chunk => Task.Run(() =>
        {
            foreach (var (_, wire) in chunk) decryptedByAlice.Add(Encoding.UTF8.GetString(pair.Alice.Decrypt(wire)));
        })));
        Assert.Equal(toAlice.Select(i => i.Text).Order(), decryptedByAlice.Order());

        // Both sessions are still consistent, live and serialisable.
        pair.Reload();
        Assert.Equal("after"u8.ToArray(), pair.Bob.Decrypt(pair.Alice.Encrypt("after"u8)));
        Assert.Equal("after"u8.ToArray(), pair.Alice.Decrypt(pair.Bob.Encrypt("after"u8)));
    }

    [Fact]
    public async Task Concurrent_serialise_while_encrypting_yields_usable_snapshots()
    {
        using var pair = SessionPair.Create();
        var snapshots = new ConcurrentBag<byte[]>();
        var encrypt = Task.Run(() =>
        {
            for (var i = 0; i < 200; i++) pair.Bob.Decrypt(pair.Alice.Encrypt("x"u8));
        });
        var snapshot = Task.Run(() =>
        {
            for (var i = 0; i < 50; i++) snapshots.Add(pair.Alice.Serialize());
        });
        await Task.WhenAll(encrypt, snapshot);
        foreach (var state in snapshots)
        {
            using var restored = RatchetSession.Deserialize(state);
            Assert.True(restored.IsInitiator);
        }
    }
}
