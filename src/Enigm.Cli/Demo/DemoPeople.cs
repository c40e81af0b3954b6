using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Enigm.Client;
using Enigm.Client.Errors;
using Enigm.Relay;
using Enigm.Trust.States;

namespace Enigm.Cli.Demo;

/// <summary>The steps of the relay chapter that Alice's and Bob's devices take, each ending in checked claims.</summary>
internal sealed class DemoPeople(ChapterContext context, DemoRelay relay, string folder, List<EnigmClient> devices)
{
    private const string Hello = "Hi Bob! The boat leaves at 7, pier 4.";
    private const string Answer = "Great, Alice. I'll bring the photos.";
    private readonly Dictionary<EnigmClient, string> _names = [];

    private CancellationToken Ct => context.Cancellation;

    /// <summary>Where Alice's phone saved the attachment it received (for the search's positive control).</summary>
    public string? ReceivedFile { get; private set; }

    public async Task<EnigmClient> CreateAsync(string person, string possessive, string device)
    {
        context.Step($"{Cap(person)} creates an account on {possessive} {device}: device key (ML-DSA-65 + Ed25519), device-log genesis uploaded, prekeys published");
        var client = await EnigmClient.CreateAccountAsync(Options(person, device), $"{person}'s {device}", RelayChapter.Protector(Ct), Ct);
        devices.Add(client);
        _names[client] = $"{Cap(person)}'s {device}";
        context.Info($"account {client.Account[..16]}…, device {client.DeviceId}; home {Path.GetFileName(Home(person, device))}/ holds one encrypted key store");
        context.Check($"the relay lists {Cap(person)}'s account with one device", () =>
            JsonNode.Parse(relay.AdminGetAsync(RelayRoutes.AdminAccount.Replace("{account}", client.Account, StringComparison.Ordinal), Ct).GetAwaiter().GetResult().Body)!["devices"]!.AsArray().Count == 1);
        return client;
    }

    public async Task<EnigmClient> LinkAsync(EnigmClient existing, string device)
    {
        context.Step($"Alice links a new {device}: it shows a link code, her phone approves it over the relay's rendezvous channel");
        using var pending = await EnigmClient.StartLinkAsync(Options("alice", device), $"alice's {device}", RelayChapter.Protector(Ct), Ct);
        context.Info($"{device} shows: {pending.LinkCode[..Math.Min(40, pending.LinkCode.Length)]}… (expires {pending.ExpiresAt:HH:mm:ss} UTC)");
        var approving = existing.ApproveLinkAsync(pending.LinkCode, RelayChapter.StepTimeout, Ct);
        var newSide = await pending.WaitForSasAsync(RelayChapter.StepTimeout, Ct);
        using var approval = await approving;
        context.Info($"phone shows:  {approval.Sas}");
        context.Info($"{device} shows: {newSide}");
        context.Check("both devices show the same short authentication string", () => approval.Sas.SameAs(newSide));

        context.Step("Alice confirms on both: the laptop co-signs its add-device entry, the phone signs and uploads the new device log");
        var joining = pending.CompleteAsync(true, RelayChapter.StepTimeout, Ct);
        var added = await approval.CompleteAsync(true, RelayChapter.StepTimeout, Ct);
        var linked = await joining;
        devices.Add(linked);
        _names[linked] = $"Alice's {device}";
        var listed = await existing.ListDevicesAsync(Ct);
        context.Check($"the {device} joined Alice's account, and her device log (verified from the relay) lists both devices", () =>
            linked.Account == existing.Account && added.DeviceId == linked.DeviceId && listed.Count(d => !d.Revoked) == 2);
        return linked;
    }

    public async Task VerifyAsync(EnigmClient phone, EnigmClient laptop, EnigmClient bob)
    {
        context.Step("Alice and Bob add each other by account id (the relay has no directory of names) and compare safety numbers");
        foreach (var alice in new[] { phone, laptop }) await alice.AddContactAsync("bob", bob.Account, Ct);
        await bob.AddContactAsync("alice", phone.Account, Ct);
        var aliceSees = phone.SafetyNumber("bob");
        var bobSees = bob.SafetyNumber("alice");
        context.Info($"Alice's phone: {aliceSees}");
        context.Info($"Bob's laptop:  {bobSees}");
        context.Check("both see the same 60-digit safety number", () => aliceSees.Digits == bobSees.Digits);
        context.Rejects<SafetyNumberMismatchException>("a different number is refused and Bob stays unverified", () => phone.VerifyContact("bob", new string('1', 60)));
        phone.VerifyContact("bob", bobSees.Digits);
        bob.VerifyContact("alice", aliceSees.Digits);
        laptop.VerifyContactByQr("bob", bob.SafetyNumberQr("alice"));
        context.Check("Alice (typing the number on her phone, scanning Bob's QR code on her laptop) and Bob mark each other verified", () =>
            phone.Contact("bob").State == TrustState.Verified && laptop.Contact("bob").State == TrustState.Verified && bob.Contact("alice").State == TrustState.Verified);
    }

    public async Task<List<(string Label, byte[] Secret)>> ConverseAsync(EnigmClient phone, EnigmClient laptop, EnigmClient bob)
    {
        context.Step("Alice's phone writes to Bob: one sealed-sender ciphertext per device (Bob's laptop, and a copy for her own laptop)");
        var sent = await phone.SendTextAsync("bob", Hello, Ct);
        context.Info($"message {sent.MessageId}: {sent.RecipientDevices} device(s) of Bob's, {sent.OwnDevices} of Alice's; the relay acknowledged after storing it");
        var atBob = await Receive(bob, 1);
        var atLaptop = await Receive(laptop, 1);
        context.Check("Bob's laptop reads Alice's message, from Alice's phone as her device log names it", () =>
            atBob.Single().Text == Hello && atBob.Single().FromContact == "alice" && atBob.Single().FromDevice == phone.DeviceId);
        context.Check("Alice's laptop gets the copy of what her phone sent", () => atLaptop.Single() is { FromOwnAccount: true, Text: Hello });

        context.Step("Bob answers and sends a 2 MiB file: encrypted in 16 KiB chunks (C2SP chunked AES-256-GCM), uploaded with progress, the key inside the message");
        var file = Path.Combine(folder, "boat-photos.bin");
        var bytes = RandomNumberGenerator.GetBytes(2 * 1024 * 1024);
        "ALBUM: boat trip, pier 4"u8.CopyTo(bytes.AsSpan(100_000));
        await File.WriteAllBytesAsync(file, bytes, Ct);
        await bob.SendTextAsync("alice", Answer, Ct);
        await bob.SendFileAsync("alice", file, "the photos", new RelayChapter.QuarterProgress(context, "upload"), Ct);
        foreach (var alice in new[] { phone, laptop })
        {
            var received = await Receive(alice, 2, alice == phone ? new RelayChapter.QuarterProgress(context, "download to the phone") : null);
            var attachment = received.Last().Attachment;
            if (alice == phone) ReceivedFile = attachment?.SavedPath;
            context.Check($"{_names[alice]} reads Bob's answer and the file, identical to what Bob sent", () =>
                received[0].Text == Answer && attachment?.SavedPath is { } saved && File.ReadAllBytes(saved).AsSpan().SequenceEqual(bytes));
        }

        return
        [
            ("Alice's message", Encoding.UTF8.GetBytes(Hello)),
            ("Bob's answer", Encoding.UTF8.GetBytes(Answer)),
            ("attachment (start)", bytes[..4096]),
            ("attachment (marker)", bytes[100_000..104_096]),
            ("attachment (end)", bytes[^4096..]),
        ];
    }

    public async Task RevokeAsync(EnigmClient phone, EnigmClient laptop, EnigmClient bob)
    {
        context.Step("Alice's laptop is stolen: her phone revokes it in her device log and uploads the new log");
        await phone.RevokeDeviceAsync(laptop.DeviceId, "stolen", Ct);
        var sent = await bob.SendTextAsync("alice", "Did you get your laptop back?", Ct);
        context.Info($"Bob's next message went to {sent.RecipientDevices} device(s) of Alice's (his client refreshed her verified device log)");
        var atPhone = await Receive(phone, 1);
        context.Check("the next message goes to Alice's phone only, and her phone reads it", () => sent.RecipientDevices == 1 && atPhone.Any(m => m.Text == "Did you get your laptop back?"));
        var account = JsonNode.Parse((await relay.AdminGetAsync(RelayRoutes.AdminAccount.Replace("{account}", phone.Account, StringComparison.Ordinal), Ct)).Body)!;
        var entry = account["devices"]!.AsArray().Single(d => (string)d!["device"]! == laptop.DeviceId)!;
        context.Check("the relay marks the laptop revoked and holds nothing for it", () => (bool)entry["revoked"]! && (long)entry["queuedMessages"]! == 0);
        context.Rejects<DeviceRevokedException>("the relay refuses the revoked laptop when it asks for its mailbox", () =>
            laptop.ReceiveAsync(TimeSpan.Zero, null, Ct).GetAwaiter().GetResult());
    }

    public async Task RotatePrekeyAsync(EnigmClient phone, EnigmClient bob)
    {
        context.Step("Bob's laptop rotates its signed prekey (due every few days) and uploads the new bundle");
        var status = await bob.MaintainPrekeysAsync(rotateSignedPrekey: true, Ct);
        context.Info($"the relay holds {status.OneTimePrekeys} one-time X25519 and {status.OneTimeKemPrekeys} one-time ML-KEM prekeys for it");
        context.Check("the signed prekey was rotated and the new bundle uploaded", () => status.SignedPrekeyRotated && status.Uploaded);
        await phone.SendTextAsync("bob", "Photos received, thanks!", Ct);
        var received = await Receive(bob, 1);
        context.Check("the conversation carries on after the rotation", () => received.Any(m => m.Text == "Photos received, thanks!"));
    }

    /// <summary>Receives until <paramref name="count"/> messages arrived (a minute at most).</summary>
    private async Task<List<ReceivedMessage>> Receive(EnigmClient device, int count, IProgress<TransferProgress>? progress = null)
    {
        var all = new List<ReceivedMessage>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (all.Count < count && clock.Elapsed < RelayChapter.StepTimeout)
        {
            var result = await device.ReceiveAsync(TimeSpan.FromSeconds(5), progress, Ct);
            all.AddRange(result.Messages);
            foreach (var notice in result.Notices) context.Info($"{_names[device]}: {notice.Detail}");
        }

        return all;
    }

    private ClientOptions Options(string person, string device) => new()
    {
        Home = Home(person, device),
        Server = relay.Url,
        AttachmentFolder = Path.Combine(Home(person, device), "received"),
    };

    private string Home(string person, string device) => Path.Combine(folder, "devices", $"{person}-{device}");

    private static string Cap(string name) => char.ToUpperInvariant(name[0]) + name[1..];
}
