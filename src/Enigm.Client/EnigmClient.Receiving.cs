using Enigm.Client.Content;
using Enigm.Client.Errors;
using Enigm.Client.Groups;
using Enigm.Messaging.Attachments;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Sessions;
using Enigm.Relay;
using Enigm.Trust.Accounts;
using Enigm.Trust.Errors;
using Enigm.Trust.Transparency;

namespace Enigm.Client;

// Receiving: fetch, unseal and decrypt, de-duplicate by message id, download attachments, store, and only then ack.
public sealed partial class EnigmClient
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>What handling one mailbox message produced: the stored message (null when dropped) and notices.</summary>
    internal sealed record Handled(ReceivedMessage? Message, IReadOnlyList<ClientNotice> Notices, bool Acknowledge);

    private async Task<ReceiveResult> ReceiveCoreAsync(TimeSpan wait, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var messages = new List<ReceivedMessage>();
        var notices = new List<ClientNotice>();
        var deadline = _options.Time.GetUtcNow() + wait;
        while (true)
        {
            var page = await _relay.MailboxAsync(RelayLimits.MaxMailboxFetch, 0, ct);
            if (page.Messages.Length > 0) await RefreshOrganisationViewForReceiveAsync(TimeSpan.Zero, ct); // revocations before this page
            var acks = new List<long>();
            foreach (var message in page.Messages)
            {
                var handled = await HandleAsync(message, progress, ct);
                if (handled.Message is not null) messages.Add(handled.Message);
                notices.AddRange(handled.Notices);
                if (handled.Acknowledge) acks.Add(message.Seq);
            }

            if (acks.Count > 0) await _relay.AckAsync(acks, ct);
            if (page.More && acks.Count > 0) continue;
            if (messages.Count > 0 || page.Messages.Length > 0 || _options.Time.GetUtcNow() >= deadline) break;
            await Task.Delay(PollInterval, ct);
        }

        if (await MaintainPrekeysCoreAsync(false, ct) is { Uploaded: true })
            notices.Add(new ClientNotice(ClientNoticeKind.PrekeysReplenished, "One-time prekeys were replenished and the bundle uploaded."));
        return new ReceiveResult(messages, notices);
    }

    /// <summary>
    /// Handles one delivered message. A typed protocol refusal (tampered, replayed, untrusted sender) drops it with a
    /// notice and acknowledges it, so a bad message cannot block the mailbox; a relay or local storage failure
    /// propagates unacknowledged, so the message is delivered again.
    /// </summary>
    internal async Task<Handled> HandleAsync(MailboxMessage message, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var idHex = Convert.ToHexStringLower(message.MessageId);
        if (_seen.Contains(idHex))
        {
            return new Handled(null, [new ClientNotice(ClientNoticeKind.Duplicate, $"Dropped a second copy of message {idHex}.")], true);
        }

        // A group message: the relay's stored-once ciphertext, opened with the sender's chain (Groups/).
        if (message.Shared is not null) return await HandleGroupMessageAsync(message, progress, ct);

        DecryptedMessage decrypted;
        MessageContent content;
        try
        {
            decrypted = await DecryptAsync(message.Body, ct);
            await RefuseOrganisationRevokedSenderAsync(decrypted.From.Account.Hex, decrypted.From.DeviceId, ct); // sealed sender: docs/policy.md
            // Group and call control (a roster, a sender key, a call signal) travels in the pairwise session too (Groups/).
            if (ControlContent.IsControl(decrypted.Plaintext)) return await HandleControlAsync(message, decrypted.From, decrypted.Plaintext, ct);
            content = MessageContent.Decode(decrypted.Plaintext);
            if (!content.MessageId.AsSpan().SequenceEqual(message.MessageId))
                throw new SealedSenderException("the message id inside the encrypted content is not the one the relay delivered it under");
        }
        catch (EnigmException e) when (e is not RelayException and not ClientStateException and not Keys.Records.RecordIntegrityException)
        {
            return new Handled(null, [new ClientNotice(ClientNoticeKind.MessageRefused, $"Refused message {idHex}: {e.Message}")], true);
        }

        var notices = new List<ClientNotice>();
        var from = decrypted.From;
        var fromOwn = from.Account.Equals(OwnAccount);
        var contact = fromOwn ? null : _contacts.ByAccount(from.Account.Hex);
        if (contact is not null && content.DeliveryToken is { Length: >= 16 } token && !(contact.DeliveryToken?.AsSpan().SequenceEqual(token) ?? false))
            _contacts.Put(contact with { DeliveryToken = token });
        if (content.TreeHead is { } gossiped && await CompareGossipAsync(gossiped, ct) is { } fork) notices.Add(fork);

        ReceivedAttachment? attachment = null;
        if (content.Attachment is { } reference) attachment = await DownloadAttachmentAsync(reference, progress, ct);
        string? toContact = null;
        if (fromOwn && content.ToAccount is { } to) toContact = _contacts.ByAccount(to)?.Name ?? to;
        var received = new ReceivedMessage(idHex, from.Account.Hex, contact?.Name, from.DeviceId, fromOwn, toContact, content.SentAt, message.ReceivedAt, content.Text, attachment);

        var stored = _records.Update(tx =>
        {
            if (State.SeenMessages.Contains(tx, idHex)) return false;
            _seen.Add(tx, idHex);
            _archive.Add(tx, received);
            return true;
        });
        if (!stored) return new Handled(null, [new ClientNotice(ClientNoticeKind.Duplicate, $"Dropped a second copy of message {idHex}.")], true);
        return new Handled(received, notices, true);
    }

    /// <summary>
    /// Decrypts with the sender's pinned device log; when the sender's account is not pinned yet or its log lacks the
    /// sending device (a device linked since), the log is fetched, verified and pinned, and decryption tried once more.
    /// </summary>
    private async Task<DecryptedMessage> DecryptAsync(byte[] body, CancellationToken ct)
    {
        _lastLogLookup = null;
        try
        {
            return _cipher.Decrypt(body);
        }
        catch (EnigmException e) when (e is UntrustedDeviceException or SealedSenderException && _lastLogLookup is { } account)
        {
            var log = await RefreshLogAsync(account, ct);
            if (account.Equals(OwnAccount)) ObserveOwnDevices(log);
            else ObserveDevices(log, isOwn: false);
            return _cipher.Decrypt(body);
        }
    }

    /// <summary>
    /// Compares a tree head gossiped in a message with this device's (Gossip.Compare): a consistency proof between the two
    /// sizes comes from the relay; a head that cannot be reconciled is a forked view, reported, never silently accepted.
    /// </summary>
    private async Task<ClientNotice?> CompareGossipAsync(byte[] encoded, CancellationToken ct)
    {
        try
        {
            var theirs = SignedTreeHead.Parse(encoded);
            var ours = _transparency.Current;
            if (ours is null || theirs.LogId != ours.LogId) return null;
            ConsistencyProof? proof = null;
            if (theirs.TreeSize != ours.TreeSize && Math.Min(theirs.TreeSize, ours.TreeSize) > 0)
            {
                var (from, to) = theirs.TreeSize < ours.TreeSize ? (theirs.TreeSize, ours.TreeSize) : (ours.TreeSize, theirs.TreeSize);
                var response = await _relay.ConsistencyAsync(from, to, ct);
                proof = new ConsistencyProof(response.From, response.To, response.Path);
            }

            Gossip.Compare(_headVerifier, ours, theirs, proof);
            if (theirs.TreeSize > ours.TreeSize) _transparency.Update(theirs, proof);
            return null;
        }
        catch (EnigmException e) when (e is SplitViewException or TransparencyProofException or Crypto.Errors.MalformedInputException or RelayException)
        {
            return new ClientNotice(ClientNoticeKind.TransparencyFork, $"A tree head gossiped by a contact does not match this device's view of the transparency log: {e.Message}");
        }
    }

    private async Task<ReceivedAttachment> DownloadAttachmentAsync(AttachmentReference reference, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var fileName = SafeFileName(reference.FileName);
        AttachmentPointer pointer;
        try
        {
            pointer = AttachmentPointerEncoding.Decode(reference.Pointer);
        }
        catch (EnigmException e)
        {
            return new ReceivedAttachment(fileName, "application/octet-stream", 0, null, $"the attachment pointer is malformed: {e.Message}");
        }

        var folder = _options.AttachmentFolder ?? Path.Combine(_options.Home, "attachments");
        Keys.Storage.KeyStoreHome.EnsureCreated(folder);
        var ciphertextPath = TemporaryFile();
        var plaintextPath = TemporaryFile();
        try
        {
            await using (var ciphertext = CreatePrivateFile(ciphertextPath))
                await _relay.GetAttachmentAsync(reference.RelayId, ciphertext, pointer.CiphertextLength, progress, ct);
            await using (var ciphertext = new FileStream(ciphertextPath, FileMode.Open, FileAccess.Read))
            await using (var plaintext = CreatePrivateFile(plaintextPath))
                AttachmentCipher.Decrypt(pointer, ciphertext, plaintext);
            var destination = UniquePath(folder, fileName);
            File.Move(plaintextPath, destination);
            return new ReceivedAttachment(fileName, pointer.ContentType, pointer.Length, destination, null);
        }
        catch (EnigmException e) when (e is not ClientStateException)
        {
            return new ReceivedAttachment(fileName, pointer.ContentType, pointer.Length, null, e.Message);
        }
        finally
        {
            File.Delete(ciphertextPath);
            File.Delete(plaintextPath);
        }
    }

    /// <summary>The sender's file name without folders or control characters (never a path outside the attachment folder).</summary>
    private static string SafeFileName(string name)
    {
        var leaf = Path.GetFileName(name.Replace('\\', '/').Split('/')[^1]);
        var clean = new string([.. leaf.Where(c => !char.IsControl(c) && Array.IndexOf(Path.GetInvalidFileNameChars(), c) < 0)]).Trim().TrimStart('.');
        return clean.Length == 0 ? "attachment" : clean[..Math.Min(clean.Length, 128)];
    }

    private static string UniquePath(string folder, string fileName)
    {
        var candidate = Path.Combine(folder, fileName);
        for (var i = 1; File.Exists(candidate); i++)
            candidate = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(fileName)} ({i}){Path.GetExtension(fileName)}");
        return candidate;
    }
}
