using Enigm.Client.Tests.Support;
using Enigm.Keys.Protection;
using Enigm.Server.Hosting;
using Enigm.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Enigm.Client.Tests.EndToEnd;

/// <summary>
/// Key-transparency gossip end to end (DESIGN.md "Key transparency"; issue 13): a relay that shows one client a forked
/// view of its log is caught by another client when a message carries the forked tree head. The fork is real: a copy
/// of the relay (its database up to a moment, the same log key and server id) goes on appending different accounts,
/// so both sides sign different trees of the same size with the same key, as a dishonest relay would.
/// </summary>
public sealed class GossipForkTests
{
    [Fact]
    public async Task A_tree_head_from_a_forked_view_gossiped_in_a_message_is_reported_by_the_recipient()
    {
        using var devices = new TestDevices();
        await using var relay = await TestRelay.StartAsync();
        using var bob = await devices.CreateAsync("bob", relay.Url);
        using var redirect = new Redirect();
        using var alice = await EnigmClient.CreateAccountAsync(devices.Options("alice", relay.Url) with { HttpHandler = redirect }, "alice", TestDevices.Protector());
        await alice.AddContactAsync("bob", bob.Account);
        await bob.AddContactAsync("alice", alice.Account);

        // Control: with one view, gossip raises nothing.
        await alice.SendTextAsync("bob", "one view");
        var honest = await bob.ReceiveAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("one view", Assert.Single(honest.Messages).Text);
        Assert.DoesNotContain(honest.Notices, n => n.Kind == ClientNoticeKind.TransparencyFork);

        await using var fork = await ForkedRelay.StartAsync(relay);
        using var carol = await devices.CreateAsync("carol", fork.Url);   // only in the forked log
        using var dave = await devices.CreateAsync("dave", relay.Url);    // only in the honest log, same size

        // Alice is shown the fork while she looks up carol: her tree head is now the fork's (it verifies: same key,
        // consistent with what she saw before the split).
        redirect.To = fork.Url;
        await alice.AddContactAsync("carol", carol.Account);
        redirect.To = null;

        await alice.SendTextAsync("bob", "two views");
        var forked = await bob.ReceiveAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("two views", Assert.Single(forked.Messages).Text);
        var notice = Assert.Single(forked.Notices, n => n.Kind == ClientNoticeKind.TransparencyFork);
        Assert.Contains("does not match", notice.Detail, StringComparison.Ordinal);
    }

    /// <summary>Sends alice's requests to <see cref="To"/> instead of the relay she was configured with, while set.</summary>
    private sealed class Redirect() : DelegatingHandler(new SocketsHttpHandler())
    {
        public Uri? To { get; set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (To is { } to && request.RequestUri is { } uri)
                request.RequestUri = new UriBuilder(uri) { Host = to.Host, Port = to.Port }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>A second relay over a snapshot of the first one's database (VACUUM INTO) and a copy of its data folder.</summary>
    private sealed class ForkedRelay(string folder, SqliteRelayStore store, RelayServer server) : IAsyncDisposable
    {
        public Uri Url { get; } = new(server.PublicUrls[0]);

        public static async Task<ForkedRelay> StartAsync(TestRelay original)
        {
            var folder = Directory.CreateTempSubdirectory("enigm-client-fork-").FullName;
            var database = Path.Combine(folder, "relay.db");
            using (var connection = new SqliteConnection($"Data Source={Path.Combine(original.Folder, "relay.db")};Pooling=False"))
            {
                connection.Open();
                using var vacuum = connection.CreateCommand();
                vacuum.CommandText = "VACUUM INTO $path";
                vacuum.Parameters.AddWithValue("$path", database);
                vacuum.ExecuteNonQuery();
            }

            CopyFolder(Path.Combine(original.Folder, "data"), Path.Combine(folder, "data"));
            var store = new SqliteRelayStore(database);
            var server = await RelayServer.StartAsync(new RelayServerOptions
            {
                Store = store,
                DataDirectory = Path.Combine(folder, "data"),
                PublicUrls = ["http://127.0.0.1:0"],
                AdminUrls = ["http://127.0.0.1:0"],
                LogKeyArgon2 = new Argon2idSettings(Argon2idSettings.MinMemoryKiB, 1, 1),
                ServerId = "relay-under-test",
            });
            return new ForkedRelay(folder, store, server);
        }

        public async ValueTask DisposeAsync()
        {
            await server.DisposeAsync();
            await store.DisposeAsync();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Left to the temp cleaner.
            }
        }

        private static void CopyFolder(string from, string to)
        {
            Enigm.Keys.Storage.KeyStoreHome.EnsureCreated(to);
            foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            foreach (var sub in Directory.GetDirectories(from)) CopyFolder(sub, Path.Combine(to, Path.GetFileName(sub)));
        }
    }
}
