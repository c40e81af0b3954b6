using System.Security.Cryptography;
using Enigm.Client.Content;
using Enigm.Client.Errors;
using Enigm.Client.Groups;
using Enigm.Messaging.Groups.Roster;
using Enigm.Messaging.Groups.SenderKeys;
using Enigm.Relay;
using Enigm.Trust.Accounts;

namespace Enigm.Client;

// Group send: one sender-key encryption for the whole group, its chain distributed first (pairwise) to the member
// devices that lack it, then one multi-recipient submit that the relay stores once for every member device.
public sealed partial class EnigmClient
{
    /// <summary>Sends text to every member device of the group (one ciphertext, stored once by the relay).</summary>
    public Task<GroupSendSummary> SendGroupTextAsync(string group, string text, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (System.Text.Encoding.UTF8.GetByteCount(text) > MessageContent.MaxTextBytes)
            throw new ArgumentException($"A message holds at most {MessageContent.MaxTextBytes} bytes of text.", nameof(text));
        return Serialised(() => SendGroupCoreAsync(group, text, null, cancellation), cancellation);
    }

    /// <summary>Sends a file to the group: encrypted and uploaded once (as for a contact), its pointer sent as a group message.</summary>
    public Task<GroupSendSummary> SendGroupFileAsync(string group, string path, string? text = null, IProgress<TransferProgress>? progress = null, CancellationToken cancellation = default) =>
        Serialised(async () =>
        {
            FindRoster(group);
            var attachment = await UploadAttachmentAsync(path, progress, cancellation);
            return await SendGroupCoreAsync(group, text, attachment, cancellation);
        }, cancellation);

    private async Task<GroupSendSummary> SendGroupCoreAsync(string group, string? text, AttachmentReference? attachment, CancellationToken ct)
    {
        var roster = FindRoster(group);
        if (!roster.IsMember(OwnAccount)) throw new ClientStateException($"This account is no longer a member of '{roster.Name}'.");
        if (attachment is null) await EnsureMaySendAsync(ct); // the device's own policy check; a file was checked before its upload
        var messageId = RandomNumberGenerator.GetBytes(16);
        var idHex = Convert.ToHexStringLower(messageId);
        var now = _options.Time.GetUtcNow();
        var content = new GroupContent(roster.GroupId.Bytes.ToArray(), messageId, now, text, attachment).Encode();
        _records.Update(tx =>
        {
            _seen.Add(tx, idHex);
            return 0;
        });

        for (var attempt = 0; ; attempt++)
        {
            foreach (var member in roster.Members) await PinnedLogAsync(member.Account, ct);
            var sent = SenderKeys.Encrypt(Membership(roster), content);
            if (sent.Distribution is not null && sent.DistributeTo.Count > 0)
                await SendControlAsync(sent.DistributeTo.Select(d => d.Account), ControlKind.SenderKey, sent.Distribution, null, ct);
            try
            {
                var stored = sent.Recipients.Count == 0 ? 0 : (await _relay.SubmitMultiRecipientAsync(
                    new MultiRecipientSubmitRequest(messageId, sent.Message, [.. sent.Recipients.Select(d => new RecipientDevice(d.Account.Hex, d.DeviceId))]), ct)).Stored;
                StoreOwnGroupCopy(roster, idHex, now, text);
                return new GroupSendSummary(idHex, stored, sent.Message.Length, sent.Rotation != SenderKeyRotation.None, sent.Rotation.ToString(),
                    sent.Distribution is null ? 0 : sent.DistributeTo.Count);
            }
            catch (DevicesMismatchException e) when (attempt < MaxMismatchRetries)
            {
                // The relay knows newer device lists: fetch, verify and pin them, then encrypt again for the devices they trust.
                foreach (var account in MismatchedAccounts(e, roster)) await RefreshLogAsync(account, ct);
            }
        }
    }

    private static IEnumerable<AccountFingerprint> MismatchedAccounts(DevicesMismatchException e, GroupRoster roster)
    {
        // A multi-recipient mismatch names devices as account/device.
        var named = e.Missing.Concat(e.Extra).Select(d => d.Split('/')[0]).ToHashSet(StringComparer.Ordinal);
        return named.Count > 0 ? roster.Members.Select(m => m.Account).Where(a => named.Contains(a.Hex)) : roster.Members.Select(m => m.Account);
    }

    private void StoreOwnGroupCopy(GroupRoster roster, string idHex, DateTimeOffset now, string? text)
    {
        var copy = new ReceivedMessage(idHex, OwnAccount.Hex, null, _device.DeviceId, true, null, now, now, text, null, roster.Name, roster.GroupId.Hex);
        _records.Update(tx =>
        {
            _archive.Add(tx, copy);
            return 0;
        });
    }
}
