using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Trust;
using Enigm.Client;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Protection;
using Enigm.Relay;
using Enigm.Trust.States;

namespace Enigm.Cli.Demo;

/// <summary>
/// Chapter 1, the product: a real relay (Enigm.Server on loopback, SQLite with WAL in a temporary folder) and three
/// devices on the client SDK (Enigm.Client), each with its own encrypted home. Alice (phone, then a laptop linked with
/// a SAS shown on both) and Bob (laptop) verify safety numbers, exchange messages and an attachment that every device
/// receives; the relay's database and admin API hold none of it in clear; Alice revokes her laptop, which then gets
/// nothing and is refused; Bob rotates his signed prekey; and Alice's device prints its trust review.
/// </summary>
public sealed class RelayChapter : IDemoChapter
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public string Name => "relay";

    public string Title => "The product: a relay on loopback (SQLite), Alice with two devices and Bob, end to end";

    public void Run(ChapterContext context) => RunAsync(context).GetAwaiter().GetResult();

    private static async Task RunAsync(ChapterContext context)
    {
        var ct = context.Cancellation;
        var folder = Directory.CreateTempSubdirectory("enigm-demo-relay-").FullName;
        var devices = new List<EnigmClient>();
        DemoRelay? relay = null;
        try
        {
            context.Step("Starting the relay: Enigm.Server on a free loopback port, SQLite (WAL, fsynced before every acknowledgement) in a temporary folder");
            relay = await DemoRelay.StartAsync(folder, ct);
            context.Info($"relay {relay.Url} (admin API on {relay.AdminUrl}, its own credential); database {Path.Combine(relay.DatabaseFolder, "relay.db")}");
            using (var probe = new HttpClient { BaseAddress = relay.Url })
            {
                var head = await probe.GetAsync(RelayRoutes.TreeHead, ct);
                context.Check("the relay answers on loopback with a signed transparency tree head", () => head.IsSuccessStatusCode);
            }

            var people = new DemoPeople(context, relay, folder, devices);
            var phone = await people.CreateAsync("alice", "her", "phone");
            var bob = await people.CreateAsync("bob", "his", "laptop");
            var laptop = await people.LinkAsync(phone, "laptop");

            await people.VerifyAsync(phone, laptop, bob);
            var secrets = await people.ConverseAsync(phone, laptop, bob);
            await CiphertextOnlyAsync(context, relay, secrets, people.ReceivedFile!);
            await people.RevokeAsync(phone, laptop, bob);
            await people.RotatePrekeyAsync(phone, bob);

            context.Step("Alice's phone reviews trust: every contact and device with its state, and what needs doing");
            var review = phone.TrustReview();
            StatusCommand.Print(context.Narrator, phone.Account, phone.DeviceId, review);
            context.Check("the review shows Bob verified", () => review.Accounts.Any(a => a.Contact == "bob" && a.State == TrustState.Verified));
            context.Check("the review shows the laptop revoked", () => review.Devices.Any(d => d.DeviceId == laptop.DeviceId && d.State == TrustState.Revoked));
        }
        finally
        {
            foreach (var device in devices) await device.DisposeAsync();
            if (relay is not null) await relay.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The relay's database files (with the WAL) and every admin response, searched for what was sent.</summary>
    private static async Task CiphertextOnlyAsync(ChapterContext context, DemoRelay relay, List<(string Label, byte[] Secret)> secrets, string receivedFile)
    {
        context.Step("What the relay holds: its database files (with the WAL) and every admin API response, searched for each plaintext and the attachment");
        var files = relay.DatabaseFiles();
        context.Info(string.Join(", ", files.Select(f => $"{f.Name} {f.Bytes.Length / 1024} KiB")));
        var admin = await relay.AdminResponsesAsync(context.Cancellation);
        var stats = JsonNode.Parse(admin[1].Body)!;
        context.Info($"admin stats: {stats["accounts"]} accounts, {stats["devices"]} devices, {stats["queuedMessages"]} queued messages, transparency log size {stats["transparencyLogSize"]}");
        var search = new PlaintextSearch(secrets);
        var found = files.SelectMany(f => search.Find(f.Name, f.Bytes)).Concat(admin.SelectMany(a => search.Find(a.Route, a.Body))).ToList();
        context.Info($"searched {files.Count} database files and {admin.Count} admin responses for {secrets.Count} secrets (raw and base64)");
        foreach (var hit in found.Take(5)) context.Info($"FOUND {hit}");
        context.Check("no plaintext and no attachment bytes in the database, its WAL or the admin API", () => found.Count == 0);
        context.Check("the same search does find them in the file Alice's phone decrypted (so it can find them)", () =>
            search.Find("received file", File.ReadAllBytes(receivedFile)).Count > 0);
    }

    /// <summary>Progress of a transfer as narration: one line at each quarter.</summary>
    internal sealed class QuarterProgress(ChapterContext context, string what) : IProgress<TransferProgress>
    {
        private int _shown;

        public void Report(TransferProgress value)
        {
            var quarter = value.Total == 0 ? 4 : (int)(value.Transferred * 4 / value.Total);
            while (_shown < quarter)
            {
                _shown++;
                context.Info($"{what}: {_shown * 25}% of {value.Total / 1024} KiB of ciphertext");
            }
        }
    }

    /// <summary>The devices' homes, each a key store sealed with its own random passphrase.</summary>
    internal static IKeyProtector Protector(CancellationToken cancellation)
    {
        var passphrase = RandomNumberGenerator.GetHexString(32);
        return new PassphraseProtector(() => SecretBytes.TakeOwnership(Encoding.UTF8.GetBytes(passphrase)), Argon2idSettings.Interactive, cancellation);
    }

    internal static TimeSpan StepTimeout => Timeout;
}
