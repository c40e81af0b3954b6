using Enigm.Client.Errors;
using Enigm.Crypto.Errors;
using Enigm.Keys.Errors;
using Enigm.Messaging.Errors;
using Enigm.Ota.Errors;
using Enigm.Trust.Errors;

namespace Enigm.Cli.Output;

/// <summary>
/// The documented exit codes of <c>enigm</c>: the one table that <c>enigm help exit-codes</c> prints
/// and that README.md's "Exit codes" table is checked against (Enigm.Cli.Tests). Each failure family
/// has its own code so scripts can tell a tampered input from a refused suite.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A check the command performs failed (a demo claim, a self-test vector).</summary>
    public const int CheckFailed = 1;

    /// <summary>Bad command line.</summary>
    public const int Usage = 2;

    public const int MalformedInput = 10;
    public const int SignatureInvalid = 11;
    public const int DecryptionFailed = 12;
    public const int InvalidKey = 13;
    public const int UnknownSuite = 14;
    public const int SuiteRefused = 15;
    public const int UnsupportedFormatVersion = 16;
    public const int AlgorithmUnavailable = 17;
    public const int WrongPassphrase = 20;
    public const int KeyNotFound = 21;
    public const int IllegalTransition = 22;
    public const int KeyUsageDenied = 23;
    public const int KeyIntegrity = 24;
    public const int ProtectorUnavailable = 25;
    public const int KeyStore = 26;
    public const int AuditTampered = 27;
    public const int RevocationInvalid = 28;

    /// <summary>A new passphrase is empty or too weak for its Argon2id costs (nothing created or changed).</summary>
    public const int WeakPassphrase = 29;

    // OTA (TUF threats): one code per attack the updater detects.
    public const int ThresholdNotMet = 30;
    public const int MetadataExpired = 31;
    public const int Rollback = 32;
    public const int MixAndMatch = 33;
    public const int LengthExceeded = 34;
    public const int HashMismatch = 35;
    public const int IneligibleDevice = 36;
    public const int TargetNotFound = 37;
    public const int BadVersionNumber = 38;
    public const int Repository = 39;

    /// <summary>OTA: TUF slow retrieval, a transfer broke its deadline or minimum rate (numbered after the trust family, which took 40–49).</summary>
    public const int SlowRetrieval = 50;

    // Device-bound trust.
    public const int DeviceLogFork = 40;
    public const int DeviceLogRollback = 41;
    public const int DeviceLogGap = 42;
    public const int DeviceLogSignature = 43;
    public const int UntrustedSigner = 44;
    public const int DeviceLogTooLarge = 45;
    public const int ContactChanged = 46;
    public const int EnrollmentFailed = 47;
    public const int TransparencyProofInvalid = 48;
    public const int SplitView = 49;

    // Messaging (sessions, PQXDH, ratchet, sealed sender, attachments).
    public const int PrekeyBundleInvalid = 60;
    public const int DeviceNotTrusted = 61;
    public const int SetupRefused = 62;
    public const int PrekeyUnavailable = 63;
    public const int SealedSenderInvalid = 64;
    public const int MessageAuthentication = 65;
    public const int MessageReplayed = 66;
    public const int SessionNeedsSetup = 67;
    public const int MessageTooLarge = 68;
    public const int AttachmentInvalid = 69;

    /// <summary>A bug: an exception that is not one of Enigm's typed errors.</summary>
    public const int InternalError = 70;

    // 80–84: the relay server (enigm server run).
    public const int RelayConfiguration = 80;
    public const int RelayStorage = 81;

    // 85–96: the relay as a client meets it, and the client's own state (Enigm.Client; enigm init, device, contact, send, receive).
    public const int RelayUnreachable = 85;
    public const int RelayRejected = 86;
    public const int RelayAuthentication = 87;
    public const int DeviceRevoked = 88;
    public const int RelayNotFound = 89;
    public const int RelayRateLimited = 90;
    public const int ContactUnknown = 91;
    public const int ContactExists = 92;
    public const int SafetyNumberMismatch = 93;
    public const int DeviceLinkFailed = 94;
    public const int ClientState = 95;
    public const int AttachmentFile = 96;

    // 100–107: groups (roster, sender keys, group messages; docs/groups.md).
    public const int GroupRosterFork = 100;
    public const int GroupRosterRollback = 101;
    public const int GroupRosterNotAdmin = 102;
    public const int GroupRosterReplay = 103;
    public const int GroupRosterSignature = 104;
    public const int GroupRosterInvalid = 105;
    public const int SenderKeyRejected = 106;
    public const int GroupMessageReplayed = 107;

    // 108–114: secure calls and SFrame media (Enigm.Messaging.Calls; docs/calls.md).
    public const int SFrameHeaderInvalid = 108;
    public const int SFrameAuthentication = 109;
    public const int SFrameReplay = 110;
    public const int SFrameUnknownKey = 111;
    public const int CallWrongEpoch = 112;
    public const int CallSetupRefused = 113;
    public const int CallState = 114;

    // 115–122: posture, organisation policy and the admin audit log (issue 14, docs/policy.md).
    public const int PostureForged = 115;
    public const int PolicyNotSignedByOrganisation = 116;
    public const int PolicyRollback = 117;
    public const int AdminActionForged = 118;
    public const int AdminAuditInvalid = 119;
    public const int DeviceRestricted = 120;
    public const int DeviceRevokedByOrganisation = 121;
    public const int OrganisationKey = 122;

    // Trust Security Center pages: 123–126.
    public const int CenterStart = 123;

    // 128–129 (130 is Interrupted): policy and the Trust Security Center, second round (issue 14).
    public const int SenderRevokedByOrganisation = 128;

    /// <summary>Interrupted (Ctrl-C / SIGINT, SIGTERM) before the change was committed: nothing changed, temporary files removed (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    public static int For(EnigmException error) => error switch
    {
        MalformedInputException => MalformedInput,
        SignatureInvalidException => SignatureInvalid,
        DecryptionFailedException => DecryptionFailed,
        InvalidKeyException => InvalidKey,
        UnknownSuiteException => UnknownSuite,
        SuiteRefusedException => SuiteRefused,
        UnsupportedFormatVersionException => UnsupportedFormatVersion,
        AlgorithmUnavailableException => AlgorithmUnavailable,
        WrongPassphraseException => WrongPassphrase,
        Keys.Errors.KeyNotFoundException => KeyNotFound,
        IllegalKeyTransitionException => IllegalTransition,
        KeyUsageDeniedException => KeyUsageDenied,
        KeyIntegrityException or Keys.Records.RecordIntegrityException => KeyIntegrity,
        ProtectorUnavailableException => ProtectorUnavailable,
        KeyStoreException => KeyStore,
        AuditLogTamperedException => AuditTampered,
        RevocationInvalidException => RevocationInvalid,
        WeakPassphraseException => WeakPassphrase,
        ThresholdNotMetException => ThresholdNotMet,
        MetadataExpiredException => MetadataExpired,
        RollbackAttackException => Rollback,
        MixAndMatchException => MixAndMatch,
        LengthExceededException => LengthExceeded,
        HashMismatchException => HashMismatch,
        IneligibleDeviceException => IneligibleDevice,
        TargetNotFoundException => TargetNotFound,
        BadVersionNumberException => BadVersionNumber,
        MetadataTypeMismatchException => MalformedInput,
        RepositoryException => Repository,
        SlowRetrievalException => SlowRetrieval,
        DeviceLogForkException => DeviceLogFork,
        DeviceLogRollbackException => DeviceLogRollback,
        DeviceLogGapException => DeviceLogGap,
        DeviceLogSignatureException => DeviceLogSignature,
        UntrustedSignerException => UntrustedSigner,
        DeviceLogTooLargeException => DeviceLogTooLarge,
        ContactChangedException => ContactChanged,
        EnrollmentException => EnrollmentFailed,
        TransparencyProofException => TransparencyProofInvalid,
        SplitViewException => SplitView,
        PrekeyBundleInvalidException => PrekeyBundleInvalid,
        UntrustedDeviceException => DeviceNotTrusted,
        SetupKeyInvalidException => SetupRefused,
        IdentityMismatchException => SetupRefused,
        Messaging.Errors.PrekeyUnavailableException => PrekeyUnavailable,
        SetupReplayException => PrekeyUnavailable,
        SealedSenderException => SealedSenderInvalid,
        RatchetAuthenticationException => MessageAuthentication,
        RatchetReplayException => MessageReplayed,
        RatchetTooFarAheadException => SessionNeedsSetup,
        SessionNotFoundException => SessionNeedsSetup,
        RatchetNotReadyException => SessionNeedsSetup,
        MessageTooLargeException => MessageTooLarge,
        AttachmentKeyInvalidException or AttachmentKeyMismatchException or AttachmentTruncatedException
            or AttachmentCorruptException or AttachmentLengthMismatchException or AttachmentDigestMismatchException
            or AttachmentTooLargeException => AttachmentInvalid,
        RelayUnavailableException => RelayUnreachable,
        // issue 14: the relay's stable problem codes for a device the organisation restricted or revoked.
        RelayRejectedException { ProblemCode: Relay.Policy.PolicyProblem.DeviceRestricted } => DeviceRestricted,
        RelayRejectedException { ProblemCode: Relay.Policy.PolicyProblem.DeviceRevokedByOrganisation } => DeviceRevokedByOrganisation,
        RelayRejectedException or DevicesMismatchException => RelayRejected,
        RelayAuthenticationException => RelayAuthentication,
        DeviceRevokedException => DeviceRevoked,
        RelayNotFoundException => RelayNotFound,
        RelayRateLimitedException => RelayRateLimited,
        ContactNotFoundException => ContactUnknown,
        ContactExistsException => ContactExists,
        SafetyNumberMismatchException => SafetyNumberMismatch,
        DeviceLinkException => DeviceLinkFailed,
        ClientStateException => ClientState,
        AttachmentFileException => AttachmentFile,
        GroupRosterForkException => GroupRosterFork,
        GroupRosterRollbackException => GroupRosterRollback,
        GroupRosterNotAdminException => GroupRosterNotAdmin,
        GroupRosterReplayException => GroupRosterReplay,
        GroupRosterSignatureException => GroupRosterSignature,
        GroupRosterInvalidException => GroupRosterInvalid,
        SenderKeyRejectedException => SenderKeyRejected,
        GroupMessageReplayException => GroupMessageReplayed,
        SFrameHeaderInvalidException => SFrameHeaderInvalid,
        SFrameAuthenticationException => SFrameAuthentication,
        SFrameReplayException => SFrameReplay,
        SFrameUnknownKeyException => SFrameUnknownKey,
        CallEpochException => CallWrongEpoch,
        CallSetupException => CallSetupRefused,
        CallStateException => CallState,
        Server.Hosting.RelayConfigurationException => RelayConfiguration,
        Server.Storage.RelayStoreException => RelayStorage,
        Trust.Policy.PostureForgedException => PostureForged,
        Trust.Policy.PolicyNotSignedByOrganisationException => PolicyNotSignedByOrganisation,
        Trust.Policy.PolicyRollbackException => PolicyRollback,
        Trust.Policy.AdminActionForgedException => AdminActionForged,
        Trust.Policy.AdminAuditLogInvalidException => AdminAuditInvalid,
        Trust.Policy.DeviceRestrictedException => DeviceRestricted,
        Trust.Policy.DeviceRevokedByOrganisationException => DeviceRevokedByOrganisation,
        Trust.Policy.OrganisationKeyException => OrganisationKey,
        Trust.Policy.SenderRevokedByOrganisationException => SenderRevokedByOrganisation,
        Center.CenterStartException => CenterStart,
        _ => InternalError,
    };

    /// <summary>Every code with its meaning, for <c>--help</c> and the README.</summary>
    public static IReadOnlyList<(int Code, string Meaning)> Table { get; } =
    [
        (Ok, "success"),
        (CheckFailed, "a check failed (demo claim, self-test vector)"),
        (Usage, "invalid command line"),
        (MalformedInput, "malformed input (bad encoding, wrong length, trailing bytes, over the size limit)"),
        (SignatureInvalid, "signature does not verify"),
        (DecryptionFailed, "decryption or unwrap failed authentication"),
        (InvalidKey, "invalid key"),
        (UnknownSuite, "unknown algorithm suite"),
        (SuiteRefused, "algorithm suite refused by policy"),
        (UnsupportedFormatVersion, "unsupported format version"),
        (AlgorithmUnavailable, "algorithm or provider unavailable on this platform"),
        (WrongPassphrase, "wrong passphrase (the store is unchanged)"),
        (KeyNotFound, "no such key"),
        (IllegalTransition, "key lifecycle transition not allowed"),
        (KeyUsageDenied, "key state does not allow this use"),
        (KeyIntegrity, "a stored key or protected record failed its integrity check"),
        (ProtectorUnavailable, "key protector (TPM, OS store) unavailable"),
        (KeyStore, "key store missing, already present or unreadable"),
        (AuditTampered, "audit log fails verification"),
        (RevocationInvalid, "revocation statement invalid"),
        (WeakPassphrase, "passphrase empty or too weak for its Argon2id cost (nothing changed)"),
        (ThresholdNotMet, "OTA: bad signature / threshold of a role not met (arbitrary software, revoked key)"),
        (MetadataExpired, "OTA: metadata expired (freeze attack)"),
        (Rollback, "OTA: metadata version older than the trusted one (rollback attack)"),
        (MixAndMatch, "OTA: metadata inconsistent with snapshot/timestamp (mix-and-match)"),
        (LengthExceeded, "OTA: more data than the trusted length (endless data)"),
        (HashMismatch, "OTA: artifact or metadata hash mismatch"),
        (IneligibleDevice, "OTA: device not eligible for the release"),
        (TargetNotFound, "OTA: no trusted release lists the target"),
        (BadVersionNumber, "OTA: root version is not the next one"),
        (Repository, "OTA: repository missing, unreadable or unreachable"),
        (DeviceLogFork, "trust: device log forked"),
        (DeviceLogRollback, "trust: device log rolled back"),
        (DeviceLogGap, "trust: device log has a gap or broken link"),
        (DeviceLogSignature, "trust: device log signature invalid"),
        (UntrustedSigner, "trust: entry signed by a revoked or unknown device"),
        (DeviceLogTooLarge, "trust: device log over the size limit"),
        (ContactChanged, "trust: contact changed since verification; sending refused"),
        (EnrollmentFailed, "trust: enrollment failed (wrong, replayed or expired code, SAS mismatch)"),
        (TransparencyProofInvalid, "trust: transparency proof or tree head invalid"),
        (SplitView, "trust: split view / forked transparency log detected"),
        (SlowRetrieval, "OTA: transfer too slow (slow retrieval: file deadline or minimum rate)"),
        (PrekeyBundleInvalid, "messaging: prekey bundle or identity certificate does not verify"),
        (DeviceNotTrusted, "messaging: device not trusted by its account's verified device log (unknown or revoked)"),
        (SetupRefused, "messaging: session setup refused (non-canonical or low-order key, identity key mismatch)"),
        (PrekeyUnavailable, "messaging: prekey already used or never issued, or initial message replayed"),
        (SealedSenderInvalid, "messaging: sealed-sender layer does not open (another device's, or tampered)"),
        (MessageAuthentication, "messaging: message fails authentication (tampered header, body or PQ chunk)"),
        (MessageReplayed, "messaging: duplicate or replayed message, or older than the skipped-key window"),
        (SessionNeedsSetup, "messaging: no usable session (lost, too far ahead, not ready); the next message sets up a new one"),
        (MessageTooLarge, "messaging: message over the size limit"),
        (AttachmentInvalid, "messaging: attachment refused (wrong key, truncated, reordered or spliced chunk, length or digest mismatch, too large)"),
        (InternalError, "internal error (a bug: please report)"),
        (RelayConfiguration, "server: cannot start (data folder, credential or log key file, --db or address unusable, port in use)"),
        (RelayStorage, "server: relay storage failed (database unreachable, corrupt or from a newer version)"),
        (RelayUnreachable, "relay: unreachable, timed out, or not answering as a relay (nothing was acknowledged)"),
        (RelayRejected, "relay: request refused (malformed, too large, conflict, device log refused, mailbox full)"),
        (RelayAuthentication, "relay: this device's credentials were refused"),
        (DeviceRevoked, "relay: this device is revoked (or its account disabled); the relay refuses it"),
        (RelayNotFound, "relay: no such account, device, prekey bundle or attachment"),
        (RelayRateLimited, "relay: rate limited; try again later"),
        (ContactUnknown, "client: no contact by that name on this device (enigm contact add)"),
        (ContactExists, "client: contact name or account already added"),
        (SafetyNumberMismatch, "client: safety number or QR code does not match; contact not verified"),
        (DeviceLinkFailed, "client: device linking did not complete (no answer in time, out of order)"),
        (ClientState, "client: no device in this home (enigm init / device link), one already there, or its state unreadable"),
        (AttachmentFile, "client: attachment file unreadable or not writable"),
        (GroupRosterFork, "groups: roster forked (another entry at a position already seen)"),
        (GroupRosterRollback, "groups: roster rolled back before the head already seen"),
        (GroupRosterNotAdmin, "groups: roster change signed by a member who is not an admin, or by a non-member"),
        (GroupRosterReplay, "groups: roster entry replayed (already in the roster)"),
        (GroupRosterSignature, "groups: roster entry signature invalid, or its device not trusted by its account's verified log"),
        (GroupRosterInvalid, "groups: roster entry breaks a rule (gap, broken link, change that does not apply, over a limit)"),
        (SenderKeyRejected, "groups: sender key or group message refused (tampered, bad signature, unknown or retired chain, not from a member device)"),
        (GroupMessageReplayed, "groups: group message replayed, sent before this device joined, or too far ahead"),
        (SFrameHeaderInvalid, "call: SFrame header unreadable (truncated, not shortest form) or frame too short or too large"),
        (SFrameAuthentication, "call: SFrame frame fails authentication (tampered header, ciphertext, tag or metadata)"),
        (SFrameReplay, "call: SFrame frame replayed or older than the replay window"),
        (SFrameUnknownKey, "call: SFrame KID names no known key or participant"),
        (CallWrongEpoch, "call: frame from an epoch this device does not hold (before it joined or after it left)"),
        (CallSetupRefused, "call: setup refused (answer to another offer, wrong device, unsupported suite)"),
        (CallState, "call: message or operation the call state does not allow (not the host, stale epoch, counter exhausted)"),
        (PostureForged, "policy: posture statement does not verify under the device's key (forged or edited)"),
        (PolicyNotSignedByOrganisation, "policy: organisation policy not signed by the pinned organisation key"),
        (PolicyRollback, "policy: organisation policy older than one already accepted (rollback)"),
        (AdminActionForged, "policy: admin action not signed by the organisation key"),
        (AdminAuditInvalid, "policy: admin audit log broken, rewritten or rolled back"),
        (DeviceRestricted, "policy: the organisation restricted this device (it may receive, not send)"),
        (DeviceRevokedByOrganisation, "policy: the organisation revoked this device"),
        (OrganisationKey, "policy: organisation key missing, unusable or different from the pinned one"),
        (CenterStart, "center: the Trust Security Center page cannot listen (loopback port taken or invalid)"),
        (SenderRevokedByOrganisation, "policy: a message came from a device the organisation revoked (dropped by a device of the organisation)"),
        (Interrupted, "interrupted (Ctrl-C): nothing committed, temporary files removed"),
    ];

    /// <summary>
    /// The codes no exception type maps to: they report a condition of the run itself (success, a
    /// failed check, a bad command line, a bug, an interruption).
    /// </summary>
    public static IReadOnlySet<int> Conditions { get; } = new HashSet<int> { Ok, CheckFailed, Usage, InternalError, Interrupted };
}
