using System.Security.Cryptography;
using System.Text;
using Enigm.Center.Tests.Support;

namespace Enigm.Center.Tests.Console;

/// <summary>
/// Issue 14, "The admin console scan": after a conversation with text and a file, no response of the console or of
/// the admin API it stands beside holds any of the plaintext or attachment bytes, in the clear, hex or base64.
/// </summary>
[Collection(CenterCollection.Name)]
public sealed class ConsoleScanTests(CenterWorld world)
{
    [Fact]
    public async Task After_a_conversation_no_console_or_admin_api_response_contains_plaintext_or_attachment_bytes()
    {
        using var erin = await world.Devices.CreateAsync("erin", world.Relay.Url);
        using var frank = await world.Devices.CreateAsync("frank", world.Relay.Url);
        await erin.AddContactAsync("frank", frank.Account);
        await frank.AddContactAsync("erin", erin.Account);
        var text = "console scan canary: the quarterly numbers are " + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var attachment = RandomNumberGenerator.GetBytes(8192);
        var file = Path.Combine(world.Devices.Folder, "scan-attachment.bin");
        await File.WriteAllBytesAsync(file, attachment);
        await erin.SendTextAsync("frank", text);
        await erin.SendFileAsync("frank", file, "caption canary " + text[^24..]);

        var queued = await CollectAsync(erin.Account);
        var received = await frank.ReceiveAsync(TimeSpan.FromSeconds(10));
        var delivered = await CollectAsync(erin.Account);

        Assert.Contains(received.Messages, m => m.Text == text);
        var saved = received.Messages.Single(m => m.Attachment is not null).Attachment!.SavedPath!;
        Assert.Equal(attachment, await File.ReadAllBytesAsync(saved));
        var needles = Needles(text, attachment);
        foreach (var (what, body) in queued.Concat(delivered))
        {
            Assert.True(body.Length > 0, what);
            foreach (var needle in needles)
                Assert.True(body.AsSpan().IndexOf(needle) < 0, $"{what} contains message or attachment bytes");
        }
    }

    /// <summary>Every console page an admin can reach for this account, and the admin API, as raw bytes.</summary>
    private async Task<List<(string What, byte[] Body)>> CollectAsync(string account)
    {
        using var console = new ConsoleClient(world.Relay.AdminUrl);
        var bodies = new List<(string, byte[])>();
        async Task Add(string what, Task<HttpResponseMessage> request)
        {
            using var response = await request;
            bodies.Add((what, await response.Content.ReadAsByteArrayAsync()));
        }

        await Add("sign-in page", console.GetAsync("/console/login"));
        await console.SignInAsync(TestRelay.AdminCredential);
        await Add("console", console.GetAsync("/console"));
        await Add("style", console.GetAsync("/console/static/console.css"));
        var csrf = await console.CsrfTokenAsync();
        await Add("confirmation page", console.PostAsync("/console/actions/disable-account", new Dictionary<string, string> { ["csrf"] = csrf, ["account"] = account }));
        await Add("admin accounts", console.GetAsync("/admin/v1/accounts", bearer: TestRelay.AdminCredential));
        await Add("admin account", console.GetAsync("/admin/v1/accounts/" + account, bearer: TestRelay.AdminCredential));
        await Add("admin stats", console.GetAsync("/admin/v1/stats", bearer: TestRelay.AdminCredential));
        return bodies;
    }

    /// <summary>The text and 32-byte windows of the file, raw, hex and base64 (8 windows cover any leak of a full block).</summary>
    private static List<byte[]> Needles(string text, byte[] attachment)
    {
        var needles = new List<byte[]> { Encoding.UTF8.GetBytes(text), Encoding.UTF8.GetBytes(text[^24..]) };
        for (var offset = 0; offset + 32 <= attachment.Length; offset += attachment.Length / 8)
        {
            var window = attachment.AsSpan(offset, 32).ToArray();
            needles.Add(window);
            needles.Add(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(window)));
            needles.Add(Encoding.ASCII.GetBytes(Convert.ToBase64String(window)[..40]));
        }

        return needles;
    }
}
