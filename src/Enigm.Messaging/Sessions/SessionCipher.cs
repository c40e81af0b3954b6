using System.Collections.Concurrent;
using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.Ratchet;
using Enigm.Messaging.SealedSender;
using Enigm.Messaging.Setup;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;

namespace Enigm.Messaging.Sessions;

/// <summary>
/// One device's sessions with its peer devices: the state machine that joins PQXDH (setup), the Triple Ratchet
/// (messages) and sealed sender (transport), as libsignal's <c>SessionCipher</c> does.
/// <list type="bullet">
/// <item>Initiator: the peer's bundle is verified through its verified device log, PQXDH runs, and the ratchet
/// starts from SK, AD and the peer's signed prekey (Double Ratchet spec 7.1). Every message carries the initial
/// message until the peer's first answer arrives.</item>
/// <item>Responder: an initial message is accepted once (its prekeys are consumed); later copies of it reuse the session.</item>
/// <item>Sessions live in an <see cref="IRatchetSessionStore"/> keyed by (account, device); every operation on one
/// session runs under that session's lock, so two threads never interleave on it.</item>
/// <item>A ratchet message with no session, or one further ahead than the session may skip, marks the session for
/// re-establishment: the next message to that device runs a fresh PQXDH (<see cref="SessionEvent.Reestablished"/>),
/// which the peer takes in place of its old session, so later messages decrypt again.</item>
/// </list>
/// The sender of every message is its sealed-sender certificate, verified against the sender's device log; the
/// session used must be the one bound to that identity (SealedSenderCipher's contract).
/// </summary>
public sealed partial class SessionCipher(
    MessagingIdentity self,
    IPrekeyStore prekeys,
    IRatchetSessionStore sessions,
    IPrekeyDirectory directory,
    Func<AccountFingerprint, TrustedDeviceSet?> verifiedLogs,
    CryptoProviders? providers = null,
    SuitePolicy? policy = null,
    RatchetLimits? limits = null,
    TimeProvider? time = null)
{
    private readonly CryptoProviders _providers = providers ?? CryptoProviders.Default;
    private readonly SuitePolicy _policy = policy ?? SuitePolicy.Default;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Lock> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, VerifiedIdentity> _identities = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _needsSetup = new(StringComparer.Ordinal);

    // A sender's certificate is verified once per head of its device log, not on every message (docs/benchmarks.md).
    private readonly VerifiedCertificateCache _certificates = new();

    // A device's bundle signature is verified once while its signed part stays the same (Setup.BundleSignatureCache).
    private readonly BundleSignatureCache _bundleSignatures = new();

    // Skipped keys over all sessions of this device, oldest first: RatchetLimits.MaxSkippedKeysPerDevice.
    private readonly SkippedKeyLedger _skippedKeys = new();
    private readonly int _maxSkippedKeysPerDevice = (limits ?? RatchetLimits.Default).MaxSkippedKeysPerDevice;

    public VerifiedIdentity Identity => self.Identity;

    /// <summary>Skipped message keys this device holds over the sessions it has used since it started.</summary>
    public int SkippedKeysHeld => _skippedKeys.Count;

    /// <summary>True when a session with <paramref name="peer"/> is stored.</summary>
    public bool HasSession(SessionAddress peer) => sessions.Load(Key(peer)) is not null;

    /// <summary>The public facts of the session with <paramref name="peer"/> (no key material), or null when there is none.</summary>
    public SessionInfo? Describe(SessionAddress peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var key = Key(peer);
        lock (Gate(key))
        {
            if (Load(key) is not { } record) return null;
            using var session = RatchetSession.Deserialize(record.State, _providers, limits, _policy);
            return new SessionInfo(session.IsInitiator, record.PendingInitialMessage is not null, session.PostQuantumEpochs, session.SkippedKeyCount);
        }
    }

    /// <summary>Encrypts <paramref name="plaintext"/> to one peer device, setting up the session first if needed.</summary>
    public EncryptedMessage Encrypt(SessionAddress peer, ReadOnlySpan<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var key = Key(peer);
        lock (Gate(key))
        {
            var record = Load(key);
            var sessionEvent = SessionEvent.None;
            if (record is null || _needsSetup.ContainsKey(key))
            {
                sessionEvent = record is null && !_needsSetup.ContainsKey(key) ? SessionEvent.Established : SessionEvent.Reestablished;
                record = SetUp(peer);
                _needsSetup.TryRemove(key, out _);
            }

            using var session = RatchetSession.Deserialize(record.State, _providers, limits, _policy);
            var ratchetMessage = session.Encrypt(plaintext);
            var (type, content) = record.PendingInitialMessage is { } initial
                ? (SessionContent.PrekeyMessage, SessionContent.EncodePrekeyMessage(initial, ratchetMessage))
                : (SessionContent.RatchetMessage, ratchetMessage);
            var envelope = SealedSenderCipher.SealToEnvelope(self, PeerIdentity(peer, record), type, content, _time, _providers);
            sessions.Store(key, (record with { State = session.Serialize() }).Encode());
            return new EncryptedMessage(peer, envelope, sessionEvent);
        }
    }

    /// <summary>
    /// Opens an envelope addressed to this device and decrypts it with the sender's session. Typed errors: those of
    /// <see cref="SealedSenderCipher.OpenEnvelope"/>, of PQXDH's responder, of the ratchet (the session is unchanged),
    /// <see cref="SessionNotFoundException"/> and <see cref="IdentityMismatchException"/>.
    /// </summary>
    public DecryptedMessage Decrypt(ReadOnlyMemory<byte> envelope)
    {
        var decrypted = DecryptUnderSessionLock(envelope);
        // Outside the session's lock: evicting may take other sessions' locks, and holding two could deadlock.
        EvictBeyondDeviceBound();
        return decrypted;
    }

    private DecryptedMessage DecryptUnderSessionLock(ReadOnlyMemory<byte> envelope)
    {
        var opened = SealedSenderCipher.OpenEnvelope(self, envelope, verifiedLogs, _policy, _providers, _certificates);
        var sender = opened.Sender;
        var peer = new SessionAddress(sender.Account, sender.DeviceId);
        var key = Key(peer);
        lock (Gate(key))
        {
            var record = Load(key);
            switch (opened.ContentType)
            {
                case SessionContent.RatchetMessage:
                    if (record is null)
                    {
                        _needsSetup[key] = true;
                        throw new SessionNotFoundException(peer.ToString());
                    }

                    return new DecryptedMessage(peer, DecryptRatchetMessage(key, record, sender, opened.Content), SessionEvent.None);

                case SessionContent.PrekeyMessage:
                    var (initial, ratchetMessage) = SessionContent.DecodePrekeyMessage(opened.Content);
                    var initialHash = SHA256.HashData(initial);
                    if (record?.AcceptedInitialHash is { } accepted && CryptographicOperations.FixedTimeEquals(accepted, initialHash))
                    {
                        RequireSameIdentity(record, sender);
                        return new DecryptedMessage(peer, DecryptWith(key, record, ratchetMessage, peerAnswered: false), SessionEvent.None);
                    }

                    if (record is not null && ArchivedIndex(record, initialHash) is { } archived)
                        return new DecryptedMessage(peer, DecryptArchived(key, record, archived, sender, ratchetMessage, promote: false), SessionEvent.None);

                    if (record is { PendingInitialMessage: { } own } && OwnInitiationWins(own, initialHash))
                        return new DecryptedMessage(peer, AcceptIntoArchive(key, record, sender, initial, initialHash, ratchetMessage), SessionEvent.None);

                    var plaintext = Accept(key, record, sender, initial, initialHash, ratchetMessage);
                    // A replaced own initiation that the peer never answered (simultaneous initiation, the peer's won) is
                    // not a re-establishment: no session had been in use.
                    var replaced = record is { PendingInitialMessage: null } || _needsSetup.TryRemove(key, out _);
                    _identities[key] = sender;
                    return new DecryptedMessage(peer, plaintext, replaced ? SessionEvent.Reestablished : SessionEvent.Established);

                default:
                    throw new MalformedInputException($"Unknown session content type {opened.ContentType}.");
            }
        }
    }

    private SessionRecord SetUp(SessionAddress peer)
    {
        var log = verifiedLogs(peer.Account)
            ?? throw new UntrustedDeviceException(peer.Account.Hex, peer.DeviceId, "no verified device log is known for its account");
        // The bundle is verified as PrekeyBundleVerifier.Verify does, its signature on a second core while PQXDH starts.
        using var setup = PqxdhInitiator.Start(self, directory.FetchBundle(peer), log, _policy, _providers, _bundleSignatures);
        var responder = setup.Responder;
        if (!responder.Account.Equals(peer.Account) || responder.DeviceId != peer.DeviceId)
            throw new IdentityMismatchException($"The directory returned the bundle of {responder}, not of {peer}.");

        using var session = RatchetSession.CreateInitiator(setup.SharedSecret.Span, setup.AssociatedData, setup.ResponderRatchetPublicKey, _providers, limits);
        _identities[Key(peer)] = responder;
        _skippedKeys.Forget(Key(peer)); // the new session replaces the old one and its skipped keys
        return new SessionRecord(session.Serialize(), setup.InitialMessage, responder.Binding, null);
    }

    private byte[] Accept(string key, SessionRecord? previous, VerifiedIdentity sender, byte[] initial, byte[] initialHash, byte[] ratchetMessage)
    {
        using var response = PqxdhResponder.Accept(self, prekeys, sender, initial, _policy, _providers);
        using var session = RatchetSession.CreateResponder(response.SharedSecret.Span, response.AssociatedData, response.ResponderRatchetPrivateKey, _providers, limits);
        // The new session replaces the old one only once its first message authenticates. The old one is archived,
        // so that what the peer sent on it before (in flight, or a simultaneous initiation) still decrypts.
        var plaintext = session.Decrypt(ratchetMessage);
        var record = new SessionRecord(session.Serialize(), null, sender.Binding, initialHash) { Archived = previous?.Archived ?? [] };
        if (previous is not null) record = record.WithArchived(new ArchivedSession(previous.State, previous.PeerBinding, previous.AcceptedInitialHash));
        sessions.Store(key, record.Encode());
        _skippedKeys.Update(key, session.SkippedKeyIds);
        return plaintext;
    }

    private byte[] DecryptWith(string key, SessionRecord record, byte[] ratchetMessage, bool peerAnswered)
    {
        using var session = RatchetSession.Deserialize(record.State, _providers, limits, _policy);
        byte[] plaintext;
        try
        {
            plaintext = session.Decrypt(ratchetMessage);
        }
        catch (RatchetTooFarAheadException)
        {
            // The peer is beyond what this session may skip to: only a fresh setup recovers.
            _needsSetup[key] = true;
            throw;
        }

        // A ratchet message without an initial message is the peer's answer: stop sending the initial message.
        var pending = peerAnswered ? null : record.PendingInitialMessage;
        sessions.Store(key, (record with { State = session.Serialize(), PendingInitialMessage = pending }).Encode());
        _skippedKeys.Update(key, session.SkippedKeyIds);
        return plaintext;
    }

    /// <summary>
    /// Enforces <see cref="RatchetLimits.MaxSkippedKeysPerDevice"/>: the device-wide oldest skipped keys are deleted
    /// from whichever sessions hold them (Double Ratchet §8.4), each session under its own lock.
    /// </summary>
    private void EvictBeyondDeviceBound()
    {
        foreach (var (address, ids) in _skippedKeys.Excess(_maxSkippedKeysPerDevice))
        {
            lock (Gate(address))
            {
                if (Load(address) is not { } record)
                {
                    _skippedKeys.Forget(address);
                    continue;
                }

                using var session = RatchetSession.Deserialize(record.State, _providers, limits, _policy);
                session.EvictSkippedKeys(ids);
                sessions.Store(address, (record with { State = session.Serialize() }).Encode());
                _skippedKeys.Update(address, session.SkippedKeyIds);
            }
        }
    }

    private static void RequireSameIdentity(SessionRecord record, VerifiedIdentity sender)
    {
        if (!CryptographicOperations.FixedTimeEquals(record.PeerBinding, sender.Binding))
            throw new IdentityMismatchException($"The session with {sender} was set up with another identity of that device.");
    }

    private VerifiedIdentity PeerIdentity(SessionAddress peer, SessionRecord record)
    {
        var key = Key(peer);
        if (_identities.TryGetValue(key, out var known) && CryptographicOperations.FixedTimeEquals(known.Binding, record.PeerBinding))
            return known;

        // After a restart the identity is re-learned from the peer's bundle, verified again; it must be the session's.
        var log = verifiedLogs(peer.Account)
            ?? throw new UntrustedDeviceException(peer.Account.Hex, peer.DeviceId, "no verified device log is known for its account");
        var identity = PrekeyBundleVerifier.Verify(directory.FetchBundle(peer), log, _policy, _providers, _bundleSignatures).Identity;
        if (!CryptographicOperations.FixedTimeEquals(identity.Binding, record.PeerBinding))
            throw new IdentityMismatchException($"Device {peer} now has another messaging identity than its session.");
        _identities[key] = identity;
        return identity;
    }

    private SessionRecord? Load(string key) => sessions.Load(key) is { } bytes ? SessionRecord.Decode(bytes) : null;

    private Lock Gate(string key) => _gates.GetOrAdd(key, _ => new Lock());

    private static string Key(SessionAddress peer) => peer.StoreKey;
}
