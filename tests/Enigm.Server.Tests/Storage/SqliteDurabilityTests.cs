using System.Diagnostics;
using Enigm.Server.Storage.Sqlite;
using Xunit;

namespace Enigm.Server.Tests.Storage;

/// <summary>
/// An acknowledged submit is on disk: a real process (tests/Enigm.Server.CrashHost) submits from several tasks at
/// once (so group commits carry many submits) and is SIGKILLed mid-burst; after reopening the file, every message
/// it acknowledged is there exactly once.
/// </summary>
public sealed class SqliteDurabilityTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("enigm-relay-crash-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Every_acknowledged_message_survives_a_SIGKILL_exactly_once()
    {
        var path = Path.Combine(_directory, "relay.db");
        var acked = new List<string>();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Enigm.Server.CrashHost.dll"));
        foreach (var arg in new[] { "enqueue", path, "16" }) info.ArgumentList.Add(arg);
        using (var host = Process.Start(info)!)
        {
            var stderr = host.StandardError.ReadToEndAsync();
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
                while (acked.Count < 2000 && await host.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                {
                    if (line.StartsWith("acked ", StringComparison.Ordinal)) acked.Add(line[6..]);
                }
            }
            finally
            {
                host.Kill(); // SIGKILL: no flush, no dispose, no checkpoint.
            }

            // Lines already written before the kill were acknowledged too.
            while (await host.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("acked ", StringComparison.Ordinal)) acked.Add(line[6..]);
            }

            await host.WaitForExitAsync();
            Assert.True(acked.Count >= 2000, "the crash host acknowledged too little: " + await stderr);
        }

        await using var store = new SqliteRelayStore(path);
        await store.MigrateAsync();
        foreach (var device in new[] { "d1", "d2" })
        {
            var stored = new List<string>();
            for (long after = 0; ;)
            {
                var page = await store.FetchAsync("bob", device, after, 500);
                if (page.Count == 0) break;
                stored.AddRange(page.Select(m => Convert.ToHexStringLower(m.MessageId)));
                after = page[^1].Seq;
            }

            Assert.Equal(stored.Count, stored.Distinct().Count());
            var present = stored.ToHashSet();
            Assert.All(acked, id => Assert.Contains(id, present));
        }
    }
}
