using Enigm.Relay;
using Enigm.Trust.Transparency;

namespace Enigm.Server.Storage;

/// <summary>
/// Everything the relay persists, behind one interface with two implementations that pass one shared test suite:
/// <c>SqliteRelayStore</c> (embedded default: one file, WAL) and <c>PostgresRelayStore</c> (scale-out: several
/// stateless relay nodes over one database). No policy lives here: the endpoints verify device logs, signatures and
/// limits before calling it. Every method is atomic on its own; a method that returns has committed durably
/// (docs/deployment.md names the synchronous/commit settings). Storage failures surface as
/// <see cref="RelayStoreException"/>; no method returns or logs message plaintext (there is none to return).
/// </summary>
public interface IRelayStore : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgres", for stats and logs.</summary>
    string Kind { get; }

    /// <summary>Creates or upgrades the schema; safe to call on every start and from several nodes at once.</summary>
    Task MigrateAsync(CancellationToken ct = default);

    // --- accounts and device logs (the server verified the log before calling) ---

    /// <summary>
    /// Creates the account with its genesis log; false when the account already exists. The account is marked "head
    /// pending" in the same write (see <see cref="AccountsWithPendingHeadAsync"/>), as is every <see cref="ReplaceDeviceLogAsync"/>.
    /// </summary>
    Task<bool> CreateAccountAsync(string account, byte[] deviceLog, IReadOnlyList<StoredDevice> devices, DateTimeOffset now, CancellationToken ct = default);

    Task<StoredAccount?> GetAccountAsync(string account, CancellationToken ct = default);

    /// <summary>
    /// Replaces the account's log with <paramref name="newLog"/> (which the caller verified extends the stored one) and
    /// its device list, only if the stored log's entry count is still <paramref name="expectedEntries"/>
    /// (compare-and-swap against a concurrent append); false otherwise.
    /// </summary>
    Task<bool> ReplaceDeviceLogAsync(string account, int expectedEntries, byte[] newLog, int newEntries, IReadOnlyList<StoredDevice> devices, CancellationToken ct = default);

    /// <summary>
    /// Accounts whose stored log's head may not be in the transparency log yet: marked by the write that stored the log,
    /// cleared by <see cref="MarkHeadLoggedAsync"/> after the append. A crash between the two leaves the mark, so the head
    /// is appended later (the startup and sweep repair) instead of never.
    /// </summary>
    Task<IReadOnlyList<string>> AccountsWithPendingHeadAsync(int limit, CancellationToken ct = default);

    /// <summary>Clears the account's mark if its log still has <paramref name="logEntries"/> entries (a newer append keeps its own mark).</summary>
    Task MarkHeadLoggedAsync(string account, int logEntries, CancellationToken ct = default);

    Task<bool> SetDisabledAsync(string account, bool disabled, CancellationToken ct = default);

    Task<IReadOnlyList<StoredAccount>> ListAccountsAsync(int limit, string? after, CancellationToken ct = default);

    // --- authentication (shared by every node) ---

    /// <summary>Stores a challenge (by its SHA-256) for one device until it expires.</summary>
    Task StoreChallengeAsync(byte[] challengeHash, string account, string device, DateTimeOffset expiresAt, CancellationToken ct = default);

    /// <summary>Removes and returns the challenge's owner if it exists and has not expired: a challenge is used once.</summary>
    Task<(string Account, string Device)?> TakeChallengeAsync(byte[] challengeHash, DateTimeOffset now, CancellationToken ct = default);

    Task StoreTokenAsync(byte[] tokenHash, string account, string device, DateTimeOffset expiresAt, CancellationToken ct = default);

    /// <summary>The token's (account, device) and when it expires, or null when unknown or expired.</summary>
    Task<(string Account, string Device, DateTimeOffset ExpiresAt)?> LookupTokenAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Drops every token of a device (revocation) or of an account (device null: disable).</summary>
    Task RevokeTokensAsync(string account, string? device, CancellationToken ct = default);

    Task SetDeliveryTokenHashAsync(string account, byte[] tokenHash, CancellationToken ct = default);

    Task<byte[]?> GetDeliveryTokenHashAsync(string account, CancellationToken ct = default);

    // --- prekeys ---

    /// <summary>See <see cref="UploadPrekeysRequest"/>: replace the bundle, add X25519 one-time keys, replace the unconsumed KEM set (never re-adding an id handed out before).</summary>
    Task StorePrekeysAsync(string account, string device, byte[] bundle, IReadOnlyList<OneTimePrekey> oneTimePrekeys, IReadOnlyList<OneTimePrekey> oneTimeKemPrekeys, CancellationToken ct = default);

    /// <summary>The bundle and at most one one-time prekey of each kind, removed atomically: no key is ever returned twice, also under concurrency and across nodes.</summary>
    Task<BundleResponse?> TakeBundleAsync(string account, string device, CancellationToken ct = default);

    Task<PrekeyCountResponse> CountPrekeysAsync(string account, string device, CancellationToken ct = default);

    // --- mailboxes ---

    /// <summary>
    /// Stores every message (once per (account, device, message id): a retried submit stores nothing new) and returns how
    /// many were newly stored; durable when it returns, and then every node is told (a <see cref="RelaySignalKind.NewMessage"/>
    /// signal per device, sent only after the messages committed; PostgreSQL sends its NOTIFY after the commit, never
    /// inside it, see PostgresNotifier). Refuses with <see cref="MailboxFullException"/> when a device's
    /// mailbox holds <see cref="RelayLimits.MaxMailboxMessages"/>.
    /// </summary>
    Task<int> EnqueueAsync(string account, IReadOnlyList<OutgoingMessage> messages, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>
    /// A multi-recipient submit: stores <paramref name="shared"/> once and one mailbox entry per recipient device that
    /// names it (the device's part as the entry's body), once per (account, device, message id) as
    /// <see cref="EnqueueAsync"/> does; a payload no new entry names is not kept. The payload is deleted with the last
    /// entry that names it (an ack or the TTL sweep). Returns how many entries were newly stored; durable when it returns,
    /// and then every node is told (a <see cref="RelaySignalKind.NewMessage"/> signal per device). The whole submit is
    /// refused with <see cref="MailboxFullException"/> when any device's mailbox is full.
    /// </summary>
    Task<int> EnqueueSharedAsync(byte[] messageId, byte[] shared, IReadOnlyList<RecipientDevice> recipients, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Up to <paramref name="limit"/> messages with seq &gt; <paramref name="afterSeq"/>, oldest first; nothing is deleted.</summary>
    Task<IReadOnlyList<MailboxMessage>> FetchAsync(string account, string device, long afterSeq, int limit, CancellationToken ct = default);

    /// <summary>Deletes the named messages of that device's mailbox only (and a shared payload no entry names any more); returns how many existed.</summary>
    Task<int> AckAsync(string account, string device, IReadOnlyList<long> seqs, CancellationToken ct = default);

    /// <summary>Deletes undelivered messages received before <paramref name="cutoff"/> (the TTL sweep); returns the count.</summary>
    Task<long> SweepExpiredAsync(DateTimeOffset cutoff, CancellationToken ct = default);

    Task<(long Messages, long Bytes)> MailboxDepthAsync(string account, string device, CancellationToken ct = default);

    // --- attachments (encrypted blobs, streamed in chunks: never whole in memory) ---

    /// <summary>
    /// Streams <paramref name="content"/> into a new blob; false (nothing stored) when the id exists. Throws
    /// <see cref="AttachmentTooLargeException"/> after <paramref name="maxBytes"/>, leaving nothing behind.
    /// </summary>
    Task<bool> PutAttachmentAsync(string id, string ownerAccount, Stream content, long maxBytes, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>The blob's length, or null when absent.</summary>
    Task<long?> AttachmentLengthAsync(string id, CancellationToken ct = default);

    /// <summary>Copies the blob to <paramref name="destination"/> chunk by chunk; false when absent.</summary>
    Task<bool> CopyAttachmentToAsync(string id, Stream destination, CancellationToken ct = default);

    Task<long> SweepAttachmentsAsync(DateTimeOffset cutoff, CancellationToken ct = default);

    // --- signals between relay nodes (SQLite: in process; PostgreSQL: LISTEN/NOTIFY) ---

    /// <summary>Tells every node (this one included) that something happened to a device: new mail, revoked, a new delivery connection.</summary>
    Task PublishAsync(RelaySignal signal, CancellationToken ct = default);

    /// <summary>Calls <paramref name="handler"/> for every signal published by any node, until disposed.</summary>
    IDisposable Subscribe(Action<RelaySignal> handler);

    // --- transparency log (RFC 9162 tree nodes for Enigm.Trust's TransparencyLog, plus each leaf's data) ---

    /// <summary>The tree store Enigm.Trust's <c>TransparencyLog</c> runs over, persisted in this database.</summary>
    ITransparencyLogStore TransparencyTree { get; }

    /// <summary>Organisation key, policy, admin audit log and device posture (issue 14; own tables, see Storage/Policy).</summary>
    Enigm.Server.Storage.Policy.IPolicyStore Policy { get; }

    /// <summary>Records leaf data (the account's log head) at an index, in the same order as the tree appends.</summary>
    Task AppendLeafAsync(long index, string account, byte[] leafData, CancellationToken ct = default);

    /// <summary>The newest leaf of an account: its index and data; null when the account has none.</summary>
    Task<(long Index, byte[] LeafData)?> LatestLeafAsync(string account, CancellationToken ct = default);

    // --- rendezvous for device linking ---

    Task<long> RendezvousPostAsync(string channel, byte[] payload, DateTimeOffset now, CancellationToken ct = default);

    Task<IReadOnlyList<RendezvousMessage>> RendezvousReadAsync(string channel, long afterSeq, CancellationToken ct = default);

    Task<long> SweepRendezvousAsync(DateTimeOffset cutoff, CancellationToken ct = default);

    // --- admin ---

    Task<AdminStats> StatsAsync(CancellationToken ct = default);
}

/// <summary>A device as the verified device log lists it (the server stores the list next to the log for fast checks).</summary>
public sealed record StoredDevice(string Device, bool Revoked);

public sealed record StoredAccount(string Account, byte[] DeviceLog, int LogEntries, DateTimeOffset CreatedAt, bool Disabled, IReadOnlyList<StoredDevice> Devices);

public enum RelaySignalKind
{
    NewMessage,
    DeviceRevoked,
    AccountDisabled,
    ConnectionOpened,

    /// <summary>The account's log, devices or disabled flag changed (nodes drop their cached copy).</summary>
    AccountChanged,
}

/// <summary>
/// A signal between relay nodes. <see cref="Connection"/> names the delivery connection that opened (so older ones close).
/// <see cref="Message"/>, on a <see cref="RelaySignalKind.NewMessage"/> raised in the process that stored it (SQLite), is
/// the durable message itself, so a connected device gets it without the delivery loop reading it back; signals that
/// crossed nodes carry none and the loop fetches.
/// </summary>
public sealed record RelaySignal(RelaySignalKind Kind, string Account, string? Device, string? Connection = null, MailboxMessage? Message = null);
