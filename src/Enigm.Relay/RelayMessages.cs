namespace Enigm.Relay;

// Wire shapes (JSON through RelayJson; byte[] travels as base64). Accounts are named by the lowercase hex of
// their fingerprint (SHA-256 of the device-log genesis entry), devices by their device-log id. The server
// validates every field against RelayLimits before it touches storage.

// --- authentication ---------------------------------------------------------------------------------------

public sealed record ChallengeRequest(string Account, string Device);

/// <summary>A fresh 32-byte challenge; valid once, until <see cref="ExpiresAt"/>.</summary>
public sealed record ChallengeResponse(byte[] Challenge, DateTimeOffset ExpiresAt);

/// <summary>
/// The challenge signed with the device's current composite signing key (the key the account's verified device log
/// names for <see cref="Device"/>) over <c>"enigm/relay-auth/v1" ‖ server id ‖ account ‖ device ‖ challenge</c>
/// (see <see cref="RelayAuth.SignedMessage"/>).
/// </summary>
public sealed record TokenRequest(string Account, string Device, byte[] Challenge, byte[] Signature);

/// <summary>A bearer token (opaque, 32 random bytes base64url) valid until <see cref="ExpiresAt"/> (short-lived).</summary>
public sealed record TokenResponse(string Token, DateTimeOffset ExpiresAt);

// --- directory --------------------------------------------------------------------------------------------

/// <summary>A device-log file holding only the genesis entry (Enigm.Trust's <c>DeviceLogFile</c> encoding).</summary>
public sealed record CreateAccountRequest(byte[] DeviceLog);

/// <summary>The whole new device log (Enigm.Trust encoding); it must extend the stored log entry for entry.</summary>
public sealed record AppendLogRequest(byte[] DeviceLog);

/// <summary>
/// An account's device log as the server holds it, with the transparency proof of its newest head: the leaf index
/// of that head, the signed tree head the proof is against, and the inclusion path.
/// </summary>
public sealed record DeviceLogResponse(string Account, byte[] DeviceLog, long LeafIndex, byte[] SignedTreeHead, byte[][] InclusionPath);

// --- prekeys ----------------------------------------------------------------------------------------------

public sealed record OneTimePrekey(uint Id, byte[] Key);

/// <summary>
/// <see cref="Bundle"/> is the device's signed prekey bundle with no one-time prekeys (Enigm.Messaging encoding),
/// replacing the stored one. <see cref="OneTimePrekeys"/> (X25519) are added. <see cref="OneTimeKemPrekeys"/> are the
/// one-time ML-KEM keys this bundle's signature commits to: they replace the stored unconsumed set, except any id the
/// server already handed out (an id is handed out at most once, ever).
/// </summary>
public sealed record UploadPrekeysRequest(byte[] Bundle, OneTimePrekey[] OneTimePrekeys, OneTimePrekey[] OneTimeKemPrekeys);

public sealed record PrekeyCountResponse(int OneTimePrekeys, int OneTimeKemPrekeys, bool HasBundle);

/// <summary>The stored bundle plus at most one one-time prekey of each kind, now consumed on the server.</summary>
public sealed record BundleResponse(string Account, string Device, byte[] Bundle, OneTimePrekey? OneTimePrekey, OneTimePrekey? OneTimeKemPrekey);

// --- messages ---------------------------------------------------------------------------------------------

/// <summary>
/// One ciphertext for one recipient device. <see cref="MessageId"/> (16 random bytes chosen by the sender) makes a
/// retried submit idempotent: the server stores (device, message id) once.
/// </summary>
public sealed record OutgoingMessage(string Device, byte[] MessageId, byte[] Body);

/// <summary>A message to every device of one account, listed exactly (the account's current, unrevoked devices).</summary>
public sealed record SubmitRequest(string Recipient, OutgoingMessage[] Messages);

/// <summary>Returned once every message is durably stored (the submit's acknowledgement).</summary>
public sealed record SubmitResponse(int Stored, DateTimeOffset ReceivedAt);

/// <summary>
/// The 409 <see cref="RelayProblem.DevicesMismatch"/> body's extension: devices missing from and extra in the submit.
/// For a multi-recipient submit, <see cref="Missing"/> and <see cref="Extra"/> name devices as <c>account/device</c>
/// and <see cref="Accounts"/> gives the same difference per recipient account.
/// </summary>
public sealed record DevicesMismatch(string[] Missing, string[] Extra, AccountDevicesMismatch[]? Accounts = null);

/// <summary>One recipient account's difference in a multi-recipient submit: its devices missing from and extra in the list.</summary>
public sealed record AccountDevicesMismatch(string Account, string[] Missing, string[] Extra);

/// <summary>
/// One recipient device of a <see cref="MultiRecipientSubmitRequest"/>, with its optional tiny per-device part (at most
/// <see cref="RelayLimits.MaxRecipientPartBytes"/>; absent is the same as empty).
/// </summary>
public sealed record RecipientDevice(string Account, string Device, byte[]? Part = null);

/// <summary>A recipient account's delivery token (the sealed-sender authorisation), one per distinct recipient account.</summary>
public sealed record RecipientAccess(string Account, byte[] Token);

/// <summary>
/// One ciphertext for many devices (a group message; Signal's multi-recipient sealed sender): <see cref="Shared"/> is
/// stored once and every listed device receives an ordinary mailbox entry carrying it plus its own part. Every account
/// named must be listed with exactly its current devices. <see cref="MessageId"/> (16 random bytes) makes a retry
/// idempotent per device. Authorised by a bearer token, or (sealed sender) by <see cref="Access"/>: the delivery token of
/// every recipient account, and no sender identity.
/// </summary>
public sealed record MultiRecipientSubmitRequest(byte[] MessageId, byte[] Shared, RecipientDevice[] Recipients, RecipientAccess[]? Access = null);

/// <summary>
/// A stored message as delivered: <see cref="Seq"/> is the server's id, used to acknowledge it. A message from a
/// multi-recipient submit carries the stored-once <see cref="Shared"/> ciphertext, and its per-device part as
/// <see cref="Body"/> (possibly empty); an ordinary message has no <see cref="Shared"/>.
/// </summary>
public sealed record MailboxMessage(long Seq, byte[] MessageId, byte[] Body, DateTimeOffset ReceivedAt, byte[]? Shared = null);

public sealed record MailboxResponse(MailboxMessage[] Messages, bool More);

public sealed record AckRequest(long[] Seqs);

/// <summary>
/// A WebSocket frame from the server: one of a message (<see cref="Message"/>), several messages at once
/// (<see cref="Messages"/>, only to a client that opened the stream with <see cref="RelayRoutes.StreamVersionQuery"/>
/// 2 or more), a "queue drained" marker (<see cref="Drained"/>; to a version-3 client also on a frame of messages, meaning
/// "drained after these"), the answer to a submit the client sent on the socket
/// (<see cref="Reply"/>), or a refusal of a client frame that cannot be answered by id (<see cref="Problem"/>: the
/// frame was too large or not JSON; the relay then closes the stream). Members a client does not know are ignored.
/// </summary>
public sealed record StreamFrame(MailboxMessage? Message, bool Drained, MailboxMessage[]? Messages = null, StreamSubmitReply? Reply = null, ProblemBody? Problem = null);

/// <summary>
/// A WebSocket frame from the client: exactly one of <see cref="Seqs"/> (an ack: the <see cref="AckRequest"/> shape, so
/// an ack frame of any client version stays valid) or <see cref="Submit"/>. A later version adds kinds as new members.
/// </summary>
public sealed record StreamClientFrame(long[]? Seqs = null, StreamSubmit? Submit = null);

/// <summary>
/// A submit carried on the delivery WebSocket (Signal's model: requests ride the authenticated socket): the
/// <see cref="SubmitRequest"/> of the connection's device, under <see cref="Id"/> (chosen by the client, echoed in the
/// <see cref="StreamSubmitReply"/>). Identified submits only: a sealed-sender submit goes over HTTP with the delivery token.
/// </summary>
public sealed record StreamSubmit(long Id, string Recipient, OutgoingMessage[] Messages);

/// <summary>
/// The answer to <see cref="StreamSubmit"/> <see cref="Id"/>, sent once the messages are durable: <see cref="Response"/>,
/// or <see cref="Problem"/> (the same status, code and detail as the HTTP problem+json) with, for 409 devices-mismatch,
/// <see cref="Mismatch"/>, and for 429, <see cref="RetryAfterSeconds"/>. Replies may come in any order.
/// </summary>
public sealed record StreamSubmitReply(long Id, SubmitResponse? Response = null, ProblemBody? Problem = null, DevicesMismatch? Mismatch = null, int? RetryAfterSeconds = null);

/// <summary>A delivery token (16–64 random bytes) the account hands to its contacts inside encrypted messages.</summary>
public sealed record DeliveryTokenRequest(byte[] Token);

// --- transparency -----------------------------------------------------------------------------------------

/// <summary>Enigm.Trust's signed tree head encoding, plus the log's public key so a client can pin it on first use.</summary>
public sealed record TreeHeadResponse(byte[] SignedTreeHead, byte[] LogPublicKey);

public sealed record InclusionResponse(string Account, byte[] LeafData, long LeafIndex, long TreeSize, byte[][] Path);

public sealed record ConsistencyResponse(long From, long To, byte[][] Path);

// --- rendezvous (device linking) --------------------------------------------------------------------------

public sealed record RendezvousPost(byte[] Payload);

public sealed record RendezvousPostResponse(long Seq);

public sealed record RendezvousMessage(long Seq, byte[] Payload);

public sealed record RendezvousMessages(RendezvousMessage[] Messages);

// --- admin ------------------------------------------------------------------------------------------------

public sealed record AdminDevice(string Device, bool Revoked, long QueuedMessages, long QueuedBytes, int OneTimePrekeys, int OneTimeKemPrekeys);

public sealed record AdminAccount(string Account, DateTimeOffset CreatedAt, bool Disabled, int LogEntries, AdminDevice[] Devices);

public sealed record AdminStats(long Accounts, long Devices, long QueuedMessages, long QueuedBytes, long TransparencyLogSize, string Store, long StoreBytes);
