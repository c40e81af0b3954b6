using Enigm.Client.Errors;
using Enigm.Client.Groups;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Groups.Roster;
using Enigm.Messaging.Groups.SenderKeys;
using Enigm.Messaging.Sessions;
using Enigm.Relay;

namespace Enigm.Client;

// Receiving group traffic: a group message (the relay's stored-once ciphertext, MailboxMessage.Shared) is decrypted
// with the sender's chain; control messages that arrived over a pairwise session (a roster, a sender key, a call
// signal) update this device's state. Anything refused becomes a MessageRefused notice and is acknowledged.
public sealed partial class EnigmClient
{
    private async Task<Handled> HandleGroupMessageAsync(MailboxMessage message, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var idHex = Convert.ToHexStringLower(message.MessageId);
        if (_seen.Contains(idHex)) return new Handled(null, [new ClientNotice(ClientNoticeKind.Duplicate, $"Dropped a second copy of group message {idHex}.")], true);
        GroupRoster roster;
        GroupDecryptedMessage decrypted;
        GroupContent content;
        try
        {
            var shared = message.Shared!;
            var header = GroupMessage.Decode(shared);
            if (Rosters.Load(header.GroupId) is null) return Refused(idHex, "it is for a group this device is not in");
            roster = VerifiedRoster(header.GroupId);
            decrypted = SenderKeys.Decrypt(Membership(roster), shared);
            await RefuseOrganisationRevokedSenderAsync(decrypted.From.Account.Hex, decrypted.From.DeviceId, ct); // docs/policy.md
            content = GroupContent.Decode(decrypted.Plaintext);
            if (!content.GroupId.AsSpan().SequenceEqual(header.GroupId.Bytes) || !content.MessageId.AsSpan().SequenceEqual(message.MessageId))
                return Refused(idHex, "the group or message id inside the encrypted content is not the one it was delivered under");
        }
        catch (EnigmException e) when (e is not RelayException and not ClientStateException and not Keys.Records.RecordIntegrityException)
        {
            return Refused(idHex, e.Message);
        }

        ReceivedAttachment? attachment = null;
        if (content.Attachment is { } reference) attachment = await DownloadAttachmentAsync(reference, progress, ct);
        var fromOwn = decrypted.From.Account.Equals(OwnAccount);
        var received = new ReceivedMessage(idHex, decrypted.From.Account.Hex, fromOwn ? null : _contacts.ByAccount(decrypted.From.Account.Hex)?.Name, decrypted.From.DeviceId,
            fromOwn, null, content.SentAt, message.ReceivedAt, content.Text, attachment, roster.Name, roster.GroupId.Hex);
        var stored = _records.Update(tx =>
        {
            if (State.SeenMessages.Contains(tx, idHex)) return false;
            _seen.Add(tx, idHex);
            _archive.Add(tx, received);
            return true;
        });
        return stored ? new Handled(received, [], true) : new Handled(null, [new ClientNotice(ClientNoticeKind.Duplicate, $"Dropped a second copy of group message {idHex}.")], true);
    }

    /// <summary>A control message from <paramref name="from"/> (the pairwise session's authenticated peer).</summary>
    private async Task<Handled> HandleControlAsync(MailboxMessage message, SessionAddress from, byte[] plaintext, CancellationToken ct)
    {
        var idHex = Convert.ToHexStringLower(message.MessageId);
        ClientNotice? notice;
        try
        {
            var control = ControlContent.Decode(plaintext);
            if (!control.MessageId.AsSpan().SequenceEqual(message.MessageId))
                return Refused(idHex, "the message id inside the encrypted content is not the one the relay delivered it under");
            notice = control.Kind switch
            {
                ControlKind.GroupRoster => await AcceptRosterAsync(control.Body, from, ct),
                ControlKind.SenderKey => await AcceptSenderKeyAsync(control.Body, from, ct),
                _ => await AcceptCallSignalAsync(control, from, ct),
            };
        }
        catch (EnigmException e) when (e is not ClientStateException and not Keys.Records.RecordIntegrityException)
        {
            // The session already advanced: a control message cannot be delivered again, so every refusal (a relay
            // failure while fetching a member's log included) is reported and acknowledged.
            return Refused(idHex, e.Message);
        }

        _records.Update(tx =>
        {
            if (!State.SeenMessages.Contains(tx, idHex)) _seen.Add(tx, idHex);
            return 0;
        });
        return new Handled(null, notice is null ? [] : [notice], true);
    }

    private async Task<ClientNotice?> AcceptRosterAsync(byte[] body, SessionAddress from, CancellationToken ct)
    {
        var entries = DecodeEntries(body);
        GroupId? group = null;
        foreach (var entry in entries)
        {
            var decoded = GroupRosterEncoding.Decode(entry, RosterPolicy, GroupRosterLimits.Default.MaxEntryBytes);
            group ??= decoded.GroupId;
            await PinnedLogAsync(decoded.SignerAccount, ct);
            await PinnedLogAsync(decoded.Subject, ct);
        }

        var stored = Rosters.Load(group!);
        var roster = GroupRosterVerifier.Verify(entries, _tracker.Load, stored?.Head, group);
        var sender = from.Account;
        if (!roster.IsMember(sender) && !roster.FormerMembers.Any(f => f.Account.Equals(sender)))
            throw new GroupRosterNotAdminException(roster.Head.Sequence, "the roster came from a device of an account that was never a member");
        if (stored is null && !roster.IsMember(OwnAccount)) throw new GroupRosterInvalidException(roster.Head.Sequence, "a roster of a group this account is not in");
        if (stored is { } known && known.Head.Equals(roster.Head)) return null;
        Rosters.Store(roster.GroupId, entries, roster.Head);
        if (!roster.IsMember(OwnAccount))
        {
            SenderKeys.Forget(roster.GroupId);
            return new ClientNotice(ClientNoticeKind.GroupChanged, $"This account is no longer a member of group '{roster.Name}'.");
        }

        return new ClientNotice(ClientNoticeKind.GroupChanged, $"Group '{roster.Name}' now has {roster.Members.Count} members (roster entry {roster.Head.Sequence}).");
    }

    private async Task<ClientNotice?> AcceptSenderKeyAsync(byte[] body, SessionAddress from, CancellationToken ct)
    {
        var distribution = SenderKeyDistribution.Decode(body);
        if (Rosters.Load(distribution.GroupId) is null) throw new GroupRosterInvalidException(0, "a sender key for a group this device is not in");
        var roster = VerifiedRoster(distribution.GroupId);
        foreach (var member in roster.Members) await PinnedLogAsync(member.Account, ct);
        SenderKeys.ProcessDistribution(Membership(roster), from, body);
        return null;
    }

    private static Handled Refused(string idHex, string why) =>
        new(null, [new ClientNotice(ClientNoticeKind.MessageRefused, $"Refused message {idHex}: {why}")], true);
}
