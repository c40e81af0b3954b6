using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Enigm.Server.Storage.Postgres;
using Npgsql;
using Xunit;

namespace Enigm.Server.Tests.ScaleOut;

/// <summary>
/// Nodes send their new-message NOTIFY after the commit (PostgresNotifier), so a node that dies between the two leaves
/// committed mail no other node was told about. The catch-up rounds (PostgresCatchUp) must still bring it to a device
/// that is connected and idle, within the bound docs/deployment.md states (two rounds).
/// </summary>
public sealed class LostSignalTests
{
    /// <summary>Scheduling slack on top of the bound: the test machine is shared and loaded.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    [SkippableFact]
    public async Task Mail_committed_without_its_signal_reaches_an_idle_connected_device_within_two_catch_up_rounds()
    {
        await using var cluster = await TwoNodeCluster.StartAsync();
        using var bob = await TwoNodeCluster.CreateAccountAsync(cluster.B);
        using var socket = await TwoNodeCluster.ConnectAsync(cluster.B, await TwoNodeCluster.LoginAsync(cluster.B, bob));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.True((await TwoNodeCluster.ReceiveAsync(socket, timeout.Token))!.Drained);

        // What a node's submit commits, written the way it writes it, with no NOTIFY after it (the node "died").
        var messageId = RandomNumberGenerator.GetBytes(16);
        await using (var connection = new NpgsqlConnection(cluster.Database))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO messages (account, device, message_id, body, received_at) VALUES ($1, 'phone', $2, $3, $4)", connection);
            foreach (var value in (object[])[bob.Id, messageId, Encoding.UTF8.GetBytes("no signal"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()])
                insert.Parameters.Add(new NpgsqlParameter { Value = value });
            await insert.ExecuteNonQueryAsync();
        }

        var committed = Stopwatch.StartNew();
        var frame = await TwoNodeCluster.ReceiveAsync(socket, timeout.Token);
        var took = committed.Elapsed;
        Assert.NotNull(frame?.Message);
        Assert.Equal(messageId, frame.Message.MessageId);
        Assert.Equal("no signal", Encoding.UTF8.GetString(frame.Message.Body));
        var bound = 2 * PostgresCatchUp.Interval;
        Assert.True(took <= bound + Slack, $"the message arrived after {took.TotalMilliseconds:F0} ms; the bound is {bound.TotalMilliseconds:F0} ms (+ {Slack.TotalMilliseconds:F0} ms slack)");
    }
}
