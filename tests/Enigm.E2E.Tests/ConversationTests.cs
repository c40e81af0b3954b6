using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Enigm.E2E.Tests.Support;
using Enigm.Relay;
using Xunit;

namespace Enigm.E2E.Tests;

/// <summary>
/// Alice (phone and laptop, linked with a SAS) and Bob (one laptop) talk through a real relay process: they verify
/// safety numbers, exchange messages and an attachment that every device receives; afterwards nothing the server
/// holds or says (admin API, database files with WAL and journal, its logs) contains a plaintext or the attachment.
/// </summary>
public abstract class ConversationTests<TFixture>(TFixture relay) : IClassFixture<TFixture>
    where TFixture : RelayFixture
{
    [SkippableFact]
    public async Task A_conversation_with_an_attachment_reaches_every_device_and_the_server_holds_no_plaintext()
    {
        var server = await relay.StartAsync();
        var phone = relay.NewDevice("alice-phone");
        var laptop = relay.NewDevice("alice-laptop");
        var bob = relay.NewDevice("bob-laptop");
        await phone.InitAsync(server.Url, "alice");
        await bob.InitAsync(server.Url, "bob");

        var (newSide, existingSide) = await laptop.LinkAsync(server.Url, phone);
        Assert.Equal(existingSide, newSide);
        Assert.Equal(phone.Account, laptop.Account);
        var devices = (JsonArray)(await phone.JsonAsync("device", "list"))["devices"]!;
        Assert.Equal(2, devices.Count);

        foreach (var alice in new[] { phone, laptop }) await alice.AddContactAsync("bob", bob);
        await bob.AddContactAsync("alice", phone);

        // Safety numbers: the same digits on both sides; each side marks the other verified with what it was shown.
        var aliceSees = (string)(await phone.JsonAsync("safety-number", "bob"))["safetyNumber"]!;
        var bobSees = (string)(await bob.JsonAsync("safety-number", "alice"))["safetyNumber"]!;
        Assert.Equal(aliceSees, bobSees);
        await phone.JsonAsync("contact", "verify", "bob", "--safety-number", bobSees);
        await laptop.JsonAsync("contact", "verify", "bob", "--safety-number", bobSees);
        await bob.JsonAsync("contact", "verify", "alice", "--safety-number", aliceSees);
        var wrong = await bob.RunAsync("contact", "verify", "alice", "--safety-number", new string('1', 60));
        Assert.NotEqual(0, wrong.Code);
        Assert.NotEqual(70, wrong.Code);

        var secrets = new List<(string Label, byte[] Secret)>();
        string Secret(string text)
        {
            secrets.Add((text, Encoding.UTF8.GetBytes(text)));
            return text;
        }

        var hello = Secret($"Hello Bob, the blue door code is {RandomNumberGenerator.GetHexString(12)}");
        var answer = Secret($"Thanks Alice, see you at the harbour {RandomNumberGenerator.GetHexString(12)}");
        var attachment = RandomNumberGenerator.GetBytes(300_000);
        Encoding.UTF8.GetBytes("PLAINTEXT-ATTACHMENT-MARKER").CopyTo(attachment, 1000);
        var attachmentPath = Path.Combine(relay.Root, "holiday.bin");
        await File.WriteAllBytesAsync(attachmentPath, attachment);
        secrets.Add(("attachment head", attachment[..4096]));
        secrets.Add(("attachment middle", attachment[150_000..154_096]));
        secrets.Add(("attachment tail", attachment[^4096..]));

        await phone.JsonAsync("send", "bob", hello);
        var atBob = await bob.ReceiveAsync(wait: 10, expected: 1);
        Assert.Equal(hello, (string)Assert.Single(atBob)!["text"]!);
        var atLaptop = await laptop.ReceiveAsync(wait: 10, expected: 1);
        Assert.Equal(hello, (string)Assert.Single(atLaptop)!["text"]!);

        await bob.JsonAsync("send", "alice", answer);
        await bob.JsonAsync("send", "alice", "--file", attachmentPath);
        foreach (var alice in new[] { phone, laptop })
        {
            var received = await alice.ReceiveAsync(wait: 10, expected: 2);
            Assert.Equal(answer, (string)received[0]!["text"]!);
            var file = (string)received[1]!["attachment"]!["path"]!;
            Assert.Equal(attachment, await File.ReadAllBytesAsync(file));
        }

        await AssertServerHoldsNoPlaintextAsync(server, secrets);
    }

    private async Task AssertServerHoldsNoPlaintextAsync(ServerProcess server, List<(string Label, byte[] Secret)> secrets)
    {
        var scanner = new PlaintextScanner(secrets);
        var found = new List<string>();
        var scanned = new List<string>();

        // Every admin API response the server gives.
        using (var admin = server.Admin())
        {
            var routes = new List<string> { RelayRoutes.AdminAccounts, RelayRoutes.AdminStats };
            var accounts = JsonNode.Parse(await admin.GetStringAsync(RelayRoutes.AdminAccounts))!.AsArray();
            Assert.NotEmpty(accounts);
            routes.AddRange(accounts.Select(a => RelayRoutes.AdminAccount.Replace("{account}", (string)a!["account"]!, StringComparison.Ordinal)));
            foreach (var route in routes)
            {
                using var response = await admin.GetAsync(route);
                Assert.True(response.IsSuccessStatusCode, $"admin {route}: {(int)response.StatusCode}");
                found.AddRange(scanner.Find($"admin {route}", await response.Content.ReadAsByteArrayAsync()));
                scanned.Add(route);
            }
        }

        // The logs, then the database at rest (after a clean stop, and before it: the WAL may hold the newest pages).
        var contents = await relay.DatabaseContentsAsync();
        Assert.NotEmpty(contents);
        await server.StopAsync();
        contents.AddRange(await relay.DatabaseContentsAsync());
        foreach (var (name, bytes) in contents) found.AddRange(scanner.Find($"database {name}", bytes));
        foreach (var log in new[] { server.StdoutPath, server.StderrPath })
        {
            if (File.Exists(log)) found.AddRange(scanner.Find(Path.GetFileName(log), await File.ReadAllBytesAsync(log)));
        }

        Assert.True(found.Count == 0, "plaintext found: " + string.Join("; ", found));
        Assert.True(scanner.PatternCount >= secrets.Count * 4);
        await server.StartAsync();
    }
}

public sealed class SqliteConversationTests(SqliteRelayFixture relay) : ConversationTests<SqliteRelayFixture>(relay);

public sealed class PostgresConversationTests(PostgresRelayFixture relay) : ConversationTests<PostgresRelayFixture>(relay);
