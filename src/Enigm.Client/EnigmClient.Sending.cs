using System.Security.Cryptography;
using Enigm.Client.Content;
using Enigm.Client.Errors;
using Enigm.Client.State;
using Enigm.Messaging.Attachments;
using Enigm.Messaging.FanOut;
using Enigm.Messaging.Sessions;
using Enigm.Relay;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;

namespace Enigm.Client;

// Sending: fan-out to every trusted device of the contact and this account's other devices (DESIGN.md "Messaging"),
// sealed sender, one submit per account with one fresh message id, retried after a devices mismatch.
public sealed partial class EnigmClient
{
    private const int MaxMismatchRetries = 3;

    private async Task<SendResult> SendCoreAsync(string contact, string? text, AttachmentReference? attachment, CancellationToken ct)
    {
        var record = RequireContact(contact);
        var decision = _trust.CheckSend(record.Name);
        // A restricted device refuses locally: the relay cannot see who sends sealed (docs/policy.md). A file was checked before its upload.
        if (attachment is null) await EnsureMaySendAsync(ct);
        var recipient = AccountFingerprint.FromHex(record.Account);
        var messageId = RandomNumberGenerator.GetBytes(16);
        var now = _options.Time.GetUtcNow();
        var treeHead = _transparency.Current?.Encode();
        var toContact = new MessageContent(messageId, now, text, attachment, null, _device.DeliveryToken, treeHead).Encode();
        var toOwn = new MessageContent(messageId, now, text, attachment, recipient.Hex, null, treeHead).Encode();

        var recipientLog = _tracker.Load(recipient) ?? await RefreshLogAsync(recipient, ct);

        // Recorded as seen before anything leaves: copies that come back to this device are dropped unread.
        _records.Update(tx =>
        {
            _seen.Add(tx, Convert.ToHexStringLower(messageId));
            return 0;
        });
        var sentToContact = await SubmitToAccountAsync(recipient, recipientLog, toContact, messageId, isOwn: false, record, ct);
        var sentToOwn = await SubmitToAccountAsync(OwnAccount, OwnLog, toOwn, messageId, isOwn: true, record, ct);
        return new SendResult(Convert.ToHexStringLower(messageId), sentToContact, sentToOwn, decision.Warning);
    }

    /// <summary>
    /// Encrypts to one account's devices (the contact's, or this account's other devices) and submits. A devices
    /// mismatch means the relay knows a newer device log: it is fetched, verified and pinned, and the message is
    /// encrypted again for the devices it now trusts. Returns how many copies the relay stored.
    /// </summary>
    private async Task<int> SubmitToAccountAsync(AccountFingerprint account, TrustedDeviceSet log, byte[] plaintext, byte[] messageId, bool isOwn, ContactRecord contact, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var plan = FanOutPlanner.Plan(isOwn ? _tracker.Load(AccountFingerprint.FromHex(contact.Account))! : log, _trust.Contact(contact.Name)!, isOwn ? log : OwnLog,
                _device.DeviceId, _trust.Policy, _trustStore.Devices());
            var targets = new FanOutPlan([.. (isOwn ? plan.OwnDevices : plan.RecipientDevices)], plan.Warning);
            if (isOwn && targets.Targets.Count == 0) return 0;
            try
            {
                await PrefetchBundlesAsync(targets, ct);
                var encrypted = FanOutEncryptor.Encrypt(_cipher, targets, plaintext);
                OutgoingMessage[] messages = [.. encrypted.Select(m => new OutgoingMessage(m.To.DeviceId, messageId, m.Envelope))];
                var token = isOwn ? null : _contacts.Get(contact.Name)?.DeliveryToken;
                return (await SubmitWithRetryAsync(new SubmitRequest(account.Hex, messages), token, contact.Name, ct)).Stored;
            }
            catch (DevicesMismatchException) when (attempt < MaxMismatchRetries)
            {
                log = await RefreshFollowingAsync(account, isOwn, ct);
            }
            catch (RelayException e) when (attempt < MaxMismatchRetries && e is DeviceRevokedException or RelayNotFoundException { ProblemCode: RelayProblem.UnknownDevice })
            {
                // A bundle of a device the relay no longer serves: the account's log changed since it was pinned.
                log = await RefreshFollowingAsync(account, isOwn, ct);
            }
        }
    }

    private async Task<TrustedDeviceSet> RefreshFollowingAsync(AccountFingerprint account, bool isOwn, CancellationToken ct)
    {
        var log = await RefreshLogAsync(account, ct);
        if (isOwn) ObserveOwnDevices(log);
        else ObserveDevices(log, isOwn: false);
        return log;
    }

    /// <summary>
    /// Submits with the contact's delivery token when there is one (sealed sender: no identity on the request, always over
    /// HTTP), else with this device's bearer token: over the device's delivery stream when the sync loop holds it open
    /// (<see cref="IdentifiedSubmitAsync"/>), else over HTTP. A refused delivery token (the contact rotated it) is dropped
    /// and the submit sent with the bearer token. A relay that does not answer gets the identical request once more: the
    /// relay stores (device, message id) once, and receivers de-duplicate by message id.
    /// </summary>
    private async Task<SubmitResponse> SubmitWithRetryAsync(SubmitRequest request, byte[]? deliveryToken, string contactName, CancellationToken ct)
    {
        try
        {
            return deliveryToken is null ? await IdentifiedSubmitAsync(request, ct) : await _relay.SubmitAsync(request, deliveryToken, ct);
        }
        catch (RelayAuthenticationException) when (deliveryToken is not null)
        {
            if (_contacts.Get(contactName) is { } stale) _contacts.Put(stale with { DeliveryToken = null });
            return await IdentifiedSubmitAsync(request, ct);
        }
        catch (RelayUnavailableException)
        {
            return await _relay.SubmitAsync(request, deliveryToken, ct);
        }
    }

    /// <summary>
    /// An identified submit: on the open delivery stream (Signal's model: no HTTP request per message), answered with
    /// the same typed refusals as HTTP; over HTTP when no stream is open or the stream cannot carry it.
    /// </summary>
    private async Task<SubmitResponse> IdentifiedSubmitAsync(SubmitRequest request, CancellationToken ct)
    {
        if (_openStream is not { IsOpen: true } stream) return await _relay.SubmitAsync(request, null, ct);
        try
        {
            return await stream.SubmitAsync(request, _options.RequestTimeout, ct);
        }
        catch (RelayUnavailableException)
        {
            return await _relay.SubmitAsync(request, null, ct);
        }
    }

    private async Task PrefetchBundlesAsync(FanOutPlan plan, CancellationToken ct)
    {
        foreach (var target in plan.Targets)
        {
            var address = new SessionAddress(target.Account, target.DeviceId);
            if (!_cipher.HasSession(address) && !_fetchedBundles.ContainsKey(address.StoreKey))
                _fetchedBundles[address.StoreKey] = await FetchBundleAsync(target.Account.Hex, target.DeviceId, ct);
        }
    }

    /// <summary>Encrypts the file (C2SP chunked AES-256-GCM, fresh key) to a private temporary file, uploads it with progress, and returns the reference to send.</summary>
    private async Task<AttachmentReference> UploadAttachmentAsync(string path, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        await EnsureMaySendAsync(ct); // before anything is uploaded (docs/policy.md, "The device's own check")
        var fileName = Path.GetFileName(path);
        var temporary = TemporaryFile();
        try
        {
            AttachmentPointer pointer;
            try
            {
                await using var plaintext = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
                if (plaintext.Length > AttachmentPointerEncoding.MaxLength)
                    throw new AttachmentFileException($"{path} is larger than the {AttachmentPointerEncoding.MaxLength} bytes an attachment may hold.");
                await using var ciphertext = CreatePrivateFile(temporary);
                pointer = AttachmentCipher.Encrypt(plaintext, ciphertext, "application/octet-stream");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new AttachmentFileException($"Cannot read {path}: {e.Message}", e);
            }

            if (pointer.CiphertextLength > RelayLimits.MaxAttachmentBytes)
                throw new AttachmentFileException($"{path} is larger than the relay's attachment limit.");
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            await using (var upload = new FileStream(temporary, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan))
                await _relay.PutAttachmentAsync(id, upload, upload.Length, progress, ct);
            return new AttachmentReference(id, AttachmentPointerEncoding.Encode(pointer), fileName);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private string TemporaryFile()
    {
        var folder = Path.Combine(_options.Home, "tmp");
        Keys.Storage.KeyStoreHome.EnsureCreated(folder);
        return Path.Combine(folder, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + ".part");
    }

    private static FileStream CreatePrivateFile(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, BufferSize = 64 * 1024 };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return new FileStream(path, options);
    }
}
