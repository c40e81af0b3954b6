using System.Security.Cryptography;
using Enigm.E2E.Tests.Support;
using Xunit;

namespace Enigm.E2E.Tests;

/// <summary>
/// The relay process is SIGKILLed in the middle of a burst of sends and restarted over the same database: every send
/// the CLI reported as done (exit 0: the server acknowledged it, so it was on disk) is delivered exactly once; sends
/// made while it was down fail with the "relay unreachable" exit code, never an internal error.
/// </summary>
public abstract class CrashRecoveryTests<TFixture>(TFixture relay) : IClassFixture<TFixture>
    where TFixture : RelayFixture
{
    private const int Burst = 14;
    private const int KillAfter = 5;
    private const int RelayUnreachable = 85;

    [SkippableFact]
    public async Task Every_acknowledged_message_is_delivered_exactly_once_after_a_SIGKILL_mid_burst()
    {
        var server = await relay.StartAsync();
        var alice = relay.NewDevice("alice");
        var bob = relay.NewDevice("bob");
        await alice.InitAsync(server.Url, "alice");
        await bob.InitAsync(server.Url, "bob");
        await alice.AddContactAsync("bob", bob);
        await bob.AddContactAsync("alice", alice);

        var nonce = RandomNumberGenerator.GetHexString(8);
        var acknowledged = new List<string>();
        var refused = new List<string>();
        var killed = false;
        for (var i = 0; i < Burst; i++)
        {
            var text = $"burst {nonce} #{i:00}";
            var result = await alice.RunAsync("send", "bob", text);
            if (result.Code == 0) acknowledged.Add(text);
            else
            {
                Assert.True(result.Code == RelayUnreachable, $"send while the relay was down: {result}");
                refused.Add(text);
            }

            if (!killed && acknowledged.Count == KillAfter)
            {
                // Kill while a send is in flight: start one and kill the server under it.
                var inFlight = alice.RunAsync("send", "bob", $"burst {nonce} in-flight");
                await Task.Delay(150);
                server.Kill();
                killed = true;
                var during = await inFlight;
                if (during.Code == 0) acknowledged.Add($"burst {nonce} in-flight");
                else Assert.True(during.Code == RelayUnreachable, $"send cut by the kill: {during}");
            }
            else if (killed && refused.Count == 2 && result.Code != 0)
            {
                await server.StartAsync();
            }
        }

        Assert.True(killed && refused.Count >= 2, $"the burst did not cross the outage: {acknowledged.Count} acknowledged, {refused.Count} refused");
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
