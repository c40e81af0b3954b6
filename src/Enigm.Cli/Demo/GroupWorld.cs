using System.Security.Cryptography;
using Enigm.Client;
using Enigm.Relay;
using Enigm.Server.Storage.Sqlite;

namespace Enigm.Cli.Demo;

/// <summary>The devices of the groups and call chapters on one relay, and what those chapters read from (and write to) the relay's database.</summary>
internal sealed class GroupWorld(ChapterContext context, DemoRelay relay, string folder, List<EnigmClient> devices)
{
    private readonly Dictionary<EnigmClient, string> _names = [];

    private CancellationToken Ct => context.Cancellation;

    public async Task<EnigmClient> CreateAsync(string person, string device)
    {
        var client = await EnigmClient.CreateAccountAsync(Options(person, device), $"{person}'s {device}", RelayChapter.Protector(Ct), Ct);
        devices.Add(client);
        _names[client] = $"{person}'s {device}";
        context.Info($"{person}'s {device}: account {client.Account[..16]}…, device {client.DeviceId}");
        return client;
    }

    /// <summary>Links a second device to <paramref name="existing"/>'s account (both sides show the same SAS, confirmed).</summary>
    public async Task<EnigmClient> LinkAsync(EnigmClient existing, string person, string device)
    {
        using var pending = await EnigmClient.StartLinkAsync(Options(person, device), $"{person}'s {device}", RelayChapter.Protector(Ct), Ct);
        var approving = existing.ApproveLinkAsync(pending.LinkCode, RelayChapter.StepTimeout, Ct);
        var newSide = await pending.WaitForSasAsync(RelayChapter.StepTimeout, Ct);
        using var approval = await approving;
        if (!approval.Sas.SameAs(newSide)) throw new InvalidOperationException("the two devices show different SAS");
        var joining = pending.CompleteAsync(true, RelayChapter.StepTimeout, Ct);
        await approval.CompleteAsync(true, RelayChapter.StepTimeout, Ct);
        var linked = await joining;
        devices.Add(linked);
        _names[linked] = $"{person}'s {device}";
        context.Info($"{person}'s {device}: linked to the same account, device {linked.DeviceId}");
        return linked;
    }

    /// <summary>Receives until <paramref name="count"/> messages arrived (at least one round; a minute at most), narrating notices.</summary>
    public async Task<List<ReceivedMessage>> ReceiveAsync(EnigmClient device, int count)
    {
        var all = new List<ReceivedMessage>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            var result = await device.ReceiveAsync(TimeSpan.FromSeconds(count == 0 ? 2 : 5), null, Ct);
            all.AddRange(result.Messages);
            foreach (var notice in result.Notices.Where(n => n.Kind is ClientNoticeKind.GroupChanged or ClientNoticeKind.MessageRefused))
                context.Info($"{_names[device]}: {notice.Detail}");
        }
        while (all.Count < count && clock.Elapsed < RelayChapter.StepTimeout);
        return all;
    }

    /// <summary>The stored-once group ciphertext of <paramref name="messageId"/> as the relay's database holds it for each device.</summary>
    public async Task<List<byte[]>> SharedAtRelayAsync(SqliteRelayStore store, string messageId, IReadOnlyList<EnigmClient> at)
    {
        var found = new List<byte[]>();
        foreach (var client in at)
        {
            var entry = (await store.FetchAsync(client.Account, client.DeviceId, 0, RelayLimits.MaxMailboxFetch, Ct))
                .FirstOrDefault(m => Convert.ToHexStringLower(m.MessageId) == messageId && m.Shared is not null);
            if (entry is not null) found.Add(entry.Shared!);
        }

        return found;
    }

    public async Task<bool> HasAsync(SqliteRelayStore store, EnigmClient client, string messageId) =>
        (await store.FetchAsync(client.Account, client.DeviceId, 0, RelayLimits.MaxMailboxFetch, Ct)).Any(m => Convert.ToHexStringLower(m.MessageId) == messageId);

    /// <summary>What a misbehaving relay could do: store a captured group ciphertext in another device's mailbox under a new id.</summary>
    public async Task InjectAsync(SqliteRelayStore store, EnigmClient client, byte[] shared)
    {
        await store.EnqueueSharedAsync(RandomNumberGenerator.GetBytes(16), shared, [new RecipientDevice(client.Account, client.DeviceId)], DateTimeOffset.UtcNow, Ct);
        context.Info($"the relay's database now holds the captured {shared.Length}-byte ciphertext for {_names[client]} too");
    }

    private ClientOptions Options(string person, string device) => new()
    {
        Home = Path.Combine(folder, "devices", $"{person}-{device}"),
        Server = relay.Url,
        AttachmentFolder = Path.Combine(folder, "devices", $"{person}-{device}", "received"),
    };
}
