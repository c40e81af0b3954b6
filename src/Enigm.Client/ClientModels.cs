using Enigm.Trust.States;

namespace Enigm.Client;

/// <summary>One device of an account, as this device's verified copy of the account's device log lists it.</summary>
/// <param name="DeviceId">The device-log id.</param>
/// <param name="Name">The name given when the device was added.</param>
/// <param name="KeyFingerprint">Fingerprint of the device's current composite signing key.</param>
/// <param name="AddedAt">When the device-log entry that added it was made.</param>
/// <param name="IsThisDevice">True for the device this client runs on.</param>
/// <param name="Revoked">True once a revoke entry names it.</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
public sealed record DeviceSummary(string DeviceId, string Name, string KeyFingerprint, DateTimeOffset AddedAt, bool IsThisDevice, bool Revoked, DateTimeOffset? RevokedAt);

/// <summary>A contact: the local name, its account (lowercase hex fingerprint), its trust state and its trusted devices.</summary>
/// <param name="Name">The local name it was added under.</param>
/// <param name="Account">The account fingerprint in lowercase hex (what the relay names it by).</param>
/// <param name="State">Its trust state (Enigm.Trust.States): unverified, verified, changed…</param>
/// <param name="Devices">Its trusted device ids, from its verified device log.</param>
/// <param name="HasDeliveryToken">True once it sent this device its delivery token (sealed-sender submits need no bearer token then).</param>
public sealed record ContactSummary(string Name, string Account, TrustState State, IReadOnlyList<string> Devices, bool HasDeliveryToken);

/// <summary>The result of a send: the message id and how many device copies the relay stored.</summary>
/// <param name="MessageId">16 random bytes, lowercase hex; the same id for every copy (receivers de-duplicate by it).</param>
/// <param name="RecipientDevices">Copies stored for the contact's devices.</param>
/// <param name="OwnDevices">Copies stored for this account's other devices (so they see the sent message).</param>
/// <param name="Warning">A warning the trust policy asks to show (a changed contact let through under WarnOnly), or null.</param>
public sealed record SendResult(string MessageId, int RecipientDevices, int OwnDevices, string? Warning);

/// <summary>A received attachment: what the sender said of it and where the decrypted file was written.</summary>
/// <param name="FileName">The file name the sender gave (sanitised: no folders).</param>
/// <param name="ContentType">The sender's content type.</param>
/// <param name="Length">Plaintext length in bytes.</param>
/// <param name="SavedPath">Where the verified plaintext was written, or null when it could not be downloaded (see <see cref="Error"/>).</param>
/// <param name="Error">Why the download or decryption failed, or null.</param>
public sealed record ReceivedAttachment(string FileName, string ContentType, long Length, string? SavedPath, string? Error);

/// <summary>One decrypted incoming message, stored before it was acknowledged to the relay.</summary>
/// <param name="MessageId">The sender's message id, lowercase hex (duplicates are dropped by it).</param>
/// <param name="FromAccount">The sending account (verified through its device log).</param>
/// <param name="FromContact">The contact's local name, or null when the sender is not a contact (or is this account).</param>
/// <param name="FromDevice">The sending device id.</param>
/// <param name="FromOwnAccount">True for a copy of a message another device of this account sent.</param>
/// <param name="ToContact">For a copy from an own device: the contact it was sent to (local name, or the account hex).</param>
/// <param name="SentAt">The sender's clock when sending.</param>
/// <param name="ReceivedAt">When the relay received it.</param>
/// <param name="Text">The text, or null for an attachment with no text.</param>
/// <param name="Attachment">The attachment, or null.</param>
/// <param name="Group">For a group message: the group's name (null for a message from a contact).</param>
/// <param name="GroupId">For a group message: the group's id, hex.</param>
public sealed record ReceivedMessage(
    string MessageId,
    string FromAccount,
    string? FromContact,
    string FromDevice,
    bool FromOwnAccount,
    string? ToContact,
    DateTimeOffset SentAt,
    DateTimeOffset ReceivedAt,
    string? Text,
    ReceivedAttachment? Attachment,
    string? Group = null,
    string? GroupId = null);

/// <summary>Progress of an attachment upload or download, in ciphertext bytes.</summary>
/// <param name="Transferred">Bytes sent or received so far.</param>
/// <param name="Total">Total bytes.</param>
public sealed record TransferProgress(long Transferred, long Total);

/// <summary>Something a receive noticed that the user should hear about, beside the messages.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Detail">One line saying it.</param>
public sealed record ClientNotice(ClientNoticeKind Kind, string Detail);

public enum ClientNoticeKind
{
    /// <summary>A message failed authentication, came from an untrusted device or could not be opened; it was dropped (and acknowledged, so it does not block the mailbox).</summary>
    MessageRefused,

    /// <summary>A duplicate of a message already stored was dropped.</summary>
    Duplicate,

    /// <summary>A tree head gossiped in a message is inconsistent with this device's view of the transparency log: someone is shown a forked log.</summary>
    TransparencyFork,

    /// <summary>A contact's device log changed (devices added, revoked or its account replaced).</summary>
    ContactDevicesChanged,

    /// <summary>One-time prekeys were replenished or the signed prekey rotated, and the bundle re-uploaded.</summary>
    PrekeysReplenished,

    /// <summary>A group's roster changed (members added, removed or left), or a member's sender key arrived.</summary>
    GroupChanged,

    /// <summary>A call signal arrived (an offer rings this device; an answer, rekey or leave for a call in progress).</summary>
    CallSignal,
}

/// <summary>What a receive returned: the new messages (oldest first) and the notices.</summary>
public sealed record ReceiveResult(IReadOnlyList<ReceivedMessage> Messages, IReadOnlyList<ClientNotice> Notices);

/// <summary>The state of this device's prekeys on the relay after maintenance.</summary>
/// <param name="OneTimePrekeys">Unused one-time X25519 prekeys the relay holds.</param>
/// <param name="OneTimeKemPrekeys">Unused one-time ML-KEM prekeys the relay holds.</param>
/// <param name="Uploaded">True when a new bundle was uploaded.</param>
/// <param name="SignedPrekeyRotated">True when the signed prekey was rotated.</param>
public sealed record PrekeyStatus(int OneTimePrekeys, int OneTimeKemPrekeys, bool Uploaded, bool SignedPrekeyRotated);
