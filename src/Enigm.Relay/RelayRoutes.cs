namespace Enigm.Relay;

/// <summary>
/// The relay's HTTP routes (docs/relay-api.md). Every body is JSON (<see cref="RelayJson"/>, byte arrays as
/// base64); every error is <c>application/problem+json</c> with a stable <see cref="RelayProblem"/> code.
/// "auth" means <c>Authorization: Bearer &lt;token&gt;</c> from <see cref="Token"/>; a token names one
/// (account, device) and is refused as soon as that device is revoked or the account disabled.
/// </summary>
public static class RelayRoutes
{
    /// <summary>POST <see cref="ChallengeRequest"/> → <see cref="ChallengeResponse"/>. No auth.</summary>
    public const string Challenge = "/v1/auth/challenge";

    /// <summary>POST <see cref="TokenRequest"/> (challenge signed by the device key) → <see cref="TokenResponse"/>. No auth.</summary>
    public const string Token = "/v1/auth/token";

    /// <summary>POST <see cref="CreateAccountRequest"/> (a device-log genesis) → <see cref="DeviceLogResponse"/>. No auth, rate-limited.</summary>
    public const string Accounts = "/v1/accounts";

    /// <summary>
    /// GET → <see cref="DeviceLogResponse"/> (auth). POST <see cref="AppendLogRequest"/> → <see cref="DeviceLogResponse"/>
    /// (auth, a device of that account; the new log must extend the stored one and verify).
    /// </summary>
    public const string AccountLog = "/v1/accounts/{account}/log";

    /// <summary>PUT <see cref="UploadPrekeysRequest"/> → <see cref="PrekeyCountResponse"/>; GET → <see cref="PrekeyCountResponse"/>. Auth, the caller's own device.</summary>
    public const string Prekeys = "/v1/prekeys";

    /// <summary>GET → <see cref="BundleResponse"/>, consuming at most one one-time prekey of each kind, atomically. Auth.</summary>
    public const string Bundle = "/v1/accounts/{account}/devices/{device}/bundle";

    /// <summary>
    /// POST <see cref="SubmitRequest"/> → <see cref="SubmitResponse"/>: one message per recipient device, stored once per
    /// device. Authorised by a bearer token, or (sealed sender) by the header <see cref="UnidentifiedAccessHeader"/>
    /// carrying the recipient's delivery token and no sender identity. 409 <see cref="RelayProblem.DevicesMismatch"/>
    /// with <see cref="DevicesMismatch"/> when the device list is not the account's current one.
    /// </summary>
    public const string Messages = "/v1/messages";

    /// <summary>
    /// POST <see cref="MultiRecipientSubmitRequest"/> → <see cref="SubmitResponse"/>: one shared ciphertext for up to
    /// <see cref="RelayLimits.MaxRecipientsPerMultiSubmit"/> devices of any accounts, stored once; each device gets an
    /// ordinary mailbox entry (<see cref="MailboxMessage.Shared"/> plus its part). Authorised by a bearer token, or
    /// (sealed sender, no Authorization header) by every recipient account's delivery token in the body. 409
    /// <see cref="RelayProblem.DevicesMismatch"/> with per-account <see cref="DevicesMismatch.Accounts"/>.
    /// </summary>
    public const string MultiRecipientMessages = "/v1/messages/multi-recipient";

    /// <summary>GET <c>?limit=N</c> → <see cref="MailboxResponse"/> (auth): the caller's own mailbox, oldest first; nothing is deleted.</summary>
    public const string Mailbox = "/v1/mailbox";

    /// <summary>POST <see cref="AckRequest"/> → 204 (auth): deletes the named messages from the caller's mailbox.</summary>
    public const string MailboxAck = "/v1/mailbox/ack";

    /// <summary>
    /// WebSocket (auth, token in the Authorization header or <c>?token=</c>): the server sends text frames holding
    /// one <see cref="StreamFrame"/> each; the client sends <see cref="StreamClientFrame"/> frames (an ack, or a submit
    /// answered by a <see cref="StreamSubmitReply"/> once durable; several may be in flight). One connection per
    /// device: a second connection closes the first (close status 4000, "replaced"). The connection closes with 4001
    /// ("token expired") when the token it was opened with expires; the client reconnects with a fresh token.
    /// </summary>
    public const string MailboxStream = "/v1/mailbox/stream";

    /// <summary>
    /// The query parameter naming the stream protocol version the client speaks (absent: 1). Version 2 adds
    /// <see cref="StreamFrame.Messages"/> (several messages per frame); submits (<see cref="StreamSubmit"/>) are accepted
    /// from any version, since only a client that knows them sends them. Version 3 puts the drained marker
    /// (<see cref="StreamFrame.Drained"/>) on the frame carrying the last messages that empty the queue instead of
    /// sending it as a frame of its own after them: a version-3 client handles a frame's messages first, then its marker.
    /// </summary>
    public const string StreamVersionQuery = "v";

    /// <summary>The newest stream protocol version (see <see cref="StreamVersionQuery"/>).</summary>
    public const int StreamVersion = 3;

    /// <summary>PUT <see cref="DeliveryTokenRequest"/> → 204 (auth): sets the account's delivery token (the server keeps its SHA-256).</summary>
    public const string DeliveryToken = "/v1/delivery-token";

    /// <summary>GET → <see cref="TreeHeadResponse"/>: the newest signed tree head of the transparency log. No auth.</summary>
    public const string TreeHead = "/v1/transparency/head";

    /// <summary>GET <c>?account=A&amp;size=N</c> → <see cref="InclusionResponse"/>: the account's newest log head and its inclusion proof in tree size N.</summary>
    public const string Inclusion = "/v1/transparency/inclusion";

    /// <summary>GET <c>?from=M&amp;to=N</c> → <see cref="ConsistencyResponse"/>.</summary>
    public const string Consistency = "/v1/transparency/consistency";

    /// <summary>
    /// Device linking rendezvous (enrollment over the relay). POST <see cref="RendezvousPost"/> → <see cref="RendezvousPostResponse"/>;
    /// GET <c>?after=SEQ&amp;wait=SECONDS</c> → <see cref="RendezvousMessages"/>. No auth: the channel id is a hash of the link
    /// code's secret and every payload is already encrypted by the enrollment channel. Small payloads, short TTL.
    /// </summary>
    public const string Rendezvous = "/v1/rendezvous/{channel}";

    /// <summary>
    /// Encrypted attachment blobs (C2SP chunked ciphertext; key and digest travel inside the message). PUT with an
    /// <c>application/octet-stream</c> body up to <see cref="RelayLimits.MaxAttachmentBytes"/> → 201 (auth; the id is 32
    /// lowercase hex characters chosen at random by the uploader; an existing id is 409). GET → the bytes (auth).
    /// Swept after the mailbox TTL.
    /// </summary>
    public const string Attachment = "/v1/attachments/{id}";

    /// <summary>The sealed-sender authorisation header: base64url of the recipient's delivery token.</summary>
    public const string UnidentifiedAccessHeader = "Enigm-Unidentified-Access";

    /// <summary>OTA repository hosting: <c>/ota/metadata/…</c> and <c>/ota/targets/…</c>.</summary>
    public const string OtaPrefix = "/ota";

    // Admin API: its own listener and its own credential (Authorization: Bearer <admin credential>).

    /// <summary>GET → <see cref="AdminAccount"/>[].</summary>
    public const string AdminAccounts = "/admin/v1/accounts";

    /// <summary>GET → <see cref="AdminAccount"/>.</summary>
    public const string AdminAccount = "/admin/v1/accounts/{account}";

    /// <summary>POST → 204: disables the account (its tokens and devices are refused from then on).</summary>
    public const string AdminDisableAccount = "/admin/v1/accounts/{account}/disable";

    /// <summary>GET → <see cref="AdminStats"/>.</summary>
    public const string AdminStats = "/admin/v1/stats";
}
