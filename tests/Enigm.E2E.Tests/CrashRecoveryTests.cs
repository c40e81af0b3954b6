using System.Collections.Concurrent;
using System.Security.Cryptography;
using Enigm.E2E.Tests.Support;
using Xunit;

namespace Enigm.E2E.Tests;

/// <summary>
/// The relay process is SIGKILLed in the middle of a burst of sends from two senders at once and restarted over the
/// same database: every send the CLI reported as done (exit 0: the relay acknowledged it, so it was on disk) is
/// delivered exactly once; sends made while it was down fail with the "relay unreachable" code, never exit 70.
/// </summary>
public abstract class CrashRecoveryTests<TFixture>(TFixture relay) : IClassFixture<TFixture>
    where TFixture : RelayFixture
{
    private const int BurstPerSender = 10;
    private const int KillAfterAcknowledged = 5;
    private const int RelayUnreachable = 85;

    [SkippableFact]
    public async Task Every_acknowledged_message_is_delivered_exactly_once_after_a_SIGKILL_mid_burst()
    {
        var server = await relay.StartAsync();
        var bob = relay.NewDevice("bob");
        var senders = new[] { relay.NewDevice("alice"), relay.NewDevice("carol") };
        await bob.InitAsync(server.Url, "bob");
        foreach (var sender in senders)
        {
            await sender.InitAsync(server.Url, sender.Name);
            await sender.AddContactAsync("bob", bob);
            await bob.AddContactAsync(sender.Name, sender);
        }

        var nonce = RandomNumberGenerator.GetHexString(8);
        var acknowledged = new ConcurrentBag<string>();
        var refused = new ConcurrentBag<string>();
        var unexpected = new ConcurrentBag<string>();
        async Task Burst(ClientDevice sender)
        {
            for (var i = 0; i < BurstPerSender; i++)
            {
                var text = $"burst {nonce} {sender.Name} #{i:00}";
                var result = await sender.RunAsync("send", "bob", text);
                if (result.Code == 0) acknowledged.Add(text);
                else if (result.Code == RelayUnreachable) refused.Add(text);
                else unexpected.Add($"{text}: {result}");
            }
        }

        var bursts = senders.Select(Burst).ToList();
        while (acknowledged.Count < KillAfterAcknowledged && !bursts.All(b => b.IsCompleted)) await Task.Delay(20);
        server.Kill();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (refused.Count < 2 && !bursts.All(b => b.IsCompleted) && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20);
        await server.StartAsync();
        await Task.WhenAll(bursts);

        Assert.True(unexpected.IsEmpty, "sends failed with another code: " + string.Join("\n", unexpected));
        Assert.True(refused.Count >= 1, $"the burst did not cross the outage: {acknowledged.Count} acknowledged, none refused");
        var received = (await bob.ReceiveAsync(wait: 5, expected: acknowledged.Count))
            .Select(m => (string)m!["text"]!)
            .Where(t => t.Contains(nonce, StringComparison.Ordinal))
            .ToList();

        foreach (var text in acknowledged) Assert.True(received.Count(r => r == text) == 1, $"'{text}' delivered {received.Count(r => r == text)} times");
        Assert.Equal(received.Count, received.Distinct().Count());
        Assert.Empty(await bob.ReceiveAsync());
    }
}

public sealed class SqliteCrashRecoveryTests(SqliteRelayFixture relay) : CrashRecoveryTests<SqliteRelayFixture>(relay);

public sealed class PostgresCrashRecoveryTests(PostgresRelayFixture relay) : CrashRecoveryTests<PostgresRelayFixture>(relay);
