using Enigm.Keys.Protection;
using Enigm.Trust.States;
using Enigm.Trust.Verification;

namespace Enigm.Client;

/// <summary>
/// One device of an Enigm account, talking to one relay: the client SDK the CLI and the demo use (docs/client.md).
/// <list type="bullet">
/// <item>State at rest: everything lives in <c>Home/keys.db</c>, an Enigm.Keys store; private keys, sessions,
/// prekeys, device logs, trust states, contacts, delivery tokens and stored messages are sealed records under the
/// key ring's KEK (passphrase or TPM), so there is no second, unprotected store of secrets.</item>
/// <item>Trust: every device set comes from a verified device log (Enigm.Trust) pinned per account; a log the relay
/// serves must extend the pinned one and its head must be included in the transparency log, whose tree heads must
/// stay consistent, also with the heads gossiped inside messages.</item>
/// <item>Messages: Enigm.Messaging's PQXDH + Triple Ratchet sessions with sealed sender, one ciphertext per trusted
/// recipient device and per own other device, submitted with a fresh message id and retried on a devices mismatch;
/// received messages are decrypted, de-duplicated by message id, stored, and only then acknowledged.</item>
/// </list>
/// Methods are safe to call from one thread at a time; <see cref="RunSyncAsync"/> may run beside them (state
/// access is serialised inside).
/// Errors are typed (<see cref="EnigmException"/> subclasses): <see cref="Errors.RelayException"/>
/// subclasses for the relay, <see cref="Errors.ClientStateException"/> for the local state, and the Keys, Trust and
/// Messaging families for what they detect (wrong passphrase, forked device log, tampered message…).
/// </summary>
public sealed partial class EnigmClient : IDisposable, IAsyncDisposable
{
    /// <summary>True when <paramref name="home"/> holds a device (its key store file exists).</summary>
    public static bool Exists(string home) => File.Exists(new ClientOptions { Home = home }.StorePath);

    /// <summary>
    /// Creates a new account with this device as its first device: a key store in <see cref="ClientOptions.Home"/>
    /// protected by <paramref name="protector"/>, a device signing key, the device-log genesis (uploaded to the relay,
    /// which answers with its transparency proof, checked here), the messaging identity and prekeys (uploaded), and a
    /// delivery token. Throws <see cref="Errors.ClientStateException"/> when the home already holds a device;
    /// nothing is left behind when the relay refuses.
    /// </summary>
    /// <param name="options">Home and relay (<see cref="ClientOptions.Server"/> is required).</param>
    /// <param name="deviceName">This device's name in the device log (1–64 UTF-8 bytes).</param>
    /// <param name="protector">Protects the key store (for example a <see cref="PassphraseProtector"/>).</param>
    /// <param name="cancellation">Cancels the relay calls.</param>
    public static Task<EnigmClient> CreateAccountAsync(ClientOptions options, string deviceName, IKeyProtector protector, CancellationToken cancellation = default) =>
        CreateAccountCoreAsync(options, deviceName, protector, cancellation);

    /// <summary>
    /// Opens the device in <see cref="ClientOptions.Home"/>. A wrong passphrase throws
    /// <c>Enigm.Keys.Errors.WrongPassphraseException</c> before anything is read; a home with no device throws
    /// <see cref="Errors.ClientStateException"/>. No network access.
    /// </summary>
    public static EnigmClient Open(ClientOptions options, Func<ProtectorDescriptor, IKeyProtector> protectorFor) =>
        OpenCore(options, protectorFor);

    /// <summary>
    /// Starts linking this (new) device to an existing account: makes the link code to show (text or QR) and
    /// listens on the relay's rendezvous channel. Continue with <see cref="Linking.PendingLink.WaitForSasAsync"/>
    /// and <see cref="Linking.PendingLink.CompleteAsync"/>; the existing device runs <see cref="ApproveLinkAsync"/>.
    /// Nothing is written to <see cref="ClientOptions.Home"/> until the link completes.
    /// </summary>
    /// <param name="options">Home and relay (<see cref="ClientOptions.Server"/> is required).</param>
    /// <param name="deviceName">The new device's name in the device log.</param>
    /// <param name="protector">Protects the new device's key store.</param>
    /// <param name="cancellation">Cancels the relay calls.</param>
    public static Task<Linking.PendingLink> StartLinkAsync(ClientOptions options, string deviceName, IKeyProtector protector, CancellationToken cancellation = default) =>
        StartLinkCoreAsync(options, deviceName, protector, cancellation);

    /// <summary>This account's fingerprint, lowercase hex (how the relay and contacts name it).</summary>
    public string Account => _device.Account;

    /// <summary>This device's id in the account's device log.</summary>
    public string DeviceId => _device.DeviceId;

    /// <summary>This device's name in the account's device log.</summary>
    public string DeviceName => _device.DeviceName;

    /// <summary>The relay this device talks to.</summary>
    public Uri Server => _relay.BaseAddress;

    // --- devices ------------------------------------------------------------------------------------------

    /// <summary>
    /// The account's devices from its device log, refreshed from the relay first (the served log must extend the
    /// pinned one and verify, and its head's transparency inclusion is checked).
    /// </summary>
    public Task<IReadOnlyList<DeviceSummary>> ListDevicesAsync(CancellationToken cancellation = default) =>
        Serialised(() => ListDevicesCoreAsync(cancellation), cancellation);

    /// <summary>
    /// Existing device's side of linking: reads the link code shown by the new device, opens the enrollment channel
    /// over the relay's rendezvous and waits for the new device to answer, up to <paramref name="timeout"/>
    /// (default 2 minutes). Show <see cref="Linking.LinkApproval.Sas"/>, then call
    /// <see cref="Linking.LinkApproval.CompleteAsync"/> with the user's answer. Typed errors: the Trust enrollment
    /// family (expired or invalid code), <see cref="Errors.DeviceLinkException"/> (no answer in time).
    /// </summary>
    public Task<Linking.LinkApproval> ApproveLinkAsync(string linkCode, TimeSpan? timeout = null, CancellationToken cancellation = default) =>
        Serialised(() => ApproveLinkCoreAsync(linkCode, timeout, cancellation), cancellation);

    /// <summary>
    /// Revokes a device of this account: appends a signed revoke entry to the device log and uploads it; the relay
    /// refuses that device from then on, and this account's messages no longer go to it. Revoking this device
    /// itself is refused, and so is an id the log does not list as a trusted device (both
    /// <see cref="Errors.ClientStateException"/>).
    /// </summary>
    public Task<DeviceSummary> RevokeDeviceAsync(string deviceId, string reason = "revoked by user", CancellationToken cancellation = default) =>
        Serialised(() => RevokeDeviceCoreAsync(deviceId, reason, cancellation), cancellation);

    // --- contacts and trust -------------------------------------------------------------------------------

    /// <summary>
    /// Adds a contact: fetches the account's device log, verifies it, checks the transparency inclusion proof of its
    /// head and the tree head's consistency with the last one seen, and pins it (trust state "unverified" until
    /// compared). Typed errors: <see cref="Errors.ContactExistsException"/>, <see cref="Errors.RelayNotFoundException"/>,
    /// the Trust device-log and transparency families.
    /// </summary>
    /// <param name="name">The local name (1–64 characters).</param>
    /// <param name="account">The contact's account fingerprint, lowercase hex (64 characters).</param>
    /// <param name="cancellation">Cancels the relay calls.</param>
    public Task<ContactSummary> AddContactAsync(string name, string account, CancellationToken cancellation = default) =>
        Serialised(() => AddContactCoreAsync(name, account, cancellation), cancellation);

    /// <summary>Every contact, by name.</summary>
    public IReadOnlyList<ContactSummary> Contacts() => Serialised(() => (IReadOnlyList<ContactSummary>)[.. _contacts.All().Select(Summary)]);

    /// <summary>One contact by local name or account hex; <see cref="Errors.ContactNotFoundException"/> when unknown.</summary>
    public ContactSummary Contact(string contact) => Serialised(() => Summary(RequireContact(contact)));

    /// <summary>The safety number of this account and the contact's (Enigm.Trust.Verification), to compare out of band.</summary>
    public SafetyNumber SafetyNumber(string contact) => Serialised(() => SafetyNumberCore(contact));

    /// <summary>The text form of this side's safety-number QR code for the contact (<c>enigm-sn1:…</c>), for the other side to scan.</summary>
    public string SafetyNumberQr(string contact) => Serialised(() => SafetyNumberQrCore(contact));

    /// <summary>
    /// Marks the contact verified after the user compared the safety number: <paramref name="safetyNumber"/> is the
    /// number the other side shows (spaces ignored). A different number throws
    /// <see cref="Errors.SafetyNumberMismatchException"/> and changes nothing.
    /// </summary>
    public ContactSummary VerifyContact(string contact, string safetyNumber) => Serialised(() => VerifyContactCore(contact, safetyNumber));

    /// <summary>
    /// Marks the contact verified from the other side's scanned QR code (text form). A code of other accounts, or
    /// one the other side made for someone else, throws <see cref="Errors.SafetyNumberMismatchException"/>.
    /// </summary>
    public ContactSummary VerifyContactByQr(string contact, string scannedQr) => Serialised(() => VerifyContactByQrCore(contact, scannedQr));

    /// <summary>The trust review (Enigm.Trust.States): every contact and device with its state and what needs doing.</summary>
    public TrustReviewReport TrustReview() => Serialised(() => Trust.States.TrustReview.Build(_trustStore, _options.TrustPolicy, _options.Time));

    // --- messages -----------------------------------------------------------------------------------------

    /// <summary>
    /// Sends text to every trusted device of the contact and to this account's other devices (sealed sender, one
    /// submit per account with a fresh message id). On a devices mismatch the device logs are refreshed (and
    /// verified) and the send retried. Typed errors: <see cref="Errors.ContactNotFoundException"/>, Trust's
    /// <c>ContactChangedException</c> under the blocking policy, the relay family.
    /// </summary>
    public Task<SendResult> SendTextAsync(string contact, string text, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (System.Text.Encoding.UTF8.GetByteCount(text) > Content.MessageContent.MaxTextBytes)
            throw new ArgumentException($"A message holds at most {Content.MessageContent.MaxTextBytes} bytes of text.", nameof(text));
        return Serialised(() => SendCoreAsync(contact, text, null, cancellation), cancellation);
    }

    /// <summary>
    /// Sends a file: encrypted with a fresh key (C2SP chunked AES-256-GCM), streamed to the relay with
    /// <paramref name="progress"/>, and a pointer (key, digest, length, name, type) sent as a message like
    /// <see cref="SendTextAsync"/>. <paramref name="text"/> is an optional caption.
    /// </summary>
    public Task<SendResult> SendFileAsync(string contact, string path, string? text = null, IProgress<TransferProgress>? progress = null, CancellationToken cancellation = default) =>
        Serialised(async () =>
        {
            RequireContact(contact);
            var attachment = await UploadAttachmentAsync(path, progress, cancellation);
            return await SendCoreAsync(contact, text, attachment, cancellation);
        }, cancellation);

    /// <summary>
    /// Fetches this device's mailbox, waiting up to <paramref name="wait"/> for a first message when it is empty;
    /// decrypts, de-duplicates by message id, downloads attachments (with <paramref name="progress"/>), stores each
    /// message, then acknowledges it. Messages that cannot be opened are reported as notices and acknowledged.
    /// Also replenishes prekeys when they run low.
    /// </summary>
    public Task<ReceiveResult> ReceiveAsync(TimeSpan wait, IProgress<TransferProgress>? progress = null, CancellationToken cancellation = default) =>
        Serialised(() => ReceiveCoreAsync(wait, progress, cancellation), cancellation);

    /// <summary>The most recent stored messages (received, and copies from own devices), oldest first.</summary>
    public IReadOnlyList<ReceivedMessage> StoredMessages(int limit = 100) => Serialised(() => _archive.Latest(limit));

    /// <summary>
    /// The background sync loop: receives over the relay's WebSocket stream (falling back to polling when the
    /// stream is unavailable), hands each stored message to <paramref name="onMessage"/> and each notice to
    /// <paramref name="onNotice"/>, keeps prekeys replenished, and reconnects with backoff until cancelled.
    /// Returns when <paramref name="cancellation"/> is cancelled (not by throwing); a revoked device ends it with
    /// <see cref="Errors.DeviceRevokedException"/>.
    /// </summary>
    public Task RunSyncAsync(Func<ReceivedMessage, Task>? onMessage = null, Action<ClientNotice>? onNotice = null, CancellationToken cancellation = default) =>
        RunSyncCoreAsync(onMessage, onNotice, cancellation);

    /// <summary>
    /// Replenishes one-time prekeys when low and rotates the signed prekey when due (or now, with
    /// <paramref name="rotateSignedPrekey"/>), uploading a new bundle when anything changed.
    /// </summary>
    public Task<PrekeyStatus> MaintainPrekeysAsync(bool rotateSignedPrekey = false, CancellationToken cancellation = default) =>
        Serialised(() => MaintainPrekeysCoreAsync(rotateSignedPrekey, cancellation), cancellation);

    public void Dispose() => DisposeCore();

    public ValueTask DisposeAsync()
    {
        DisposeCore();
        return ValueTask.CompletedTask;
    }
}
