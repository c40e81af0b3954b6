using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Ratchet.PostQuantum;

namespace Enigm.Messaging.Ratchet;

/// <summary>
/// One Triple Ratchet session with one peer device (Double Ratchet specification revision 3, §6): the
/// Double Ratchet of §3 (<see cref="DoubleRatchet"/>) and the Sparse Post-Quantum Ratchet of §5
/// (<see cref="SparsePqRatchet"/>) run side by side, and each message is encrypted under a key mixed
/// from both. Pure protocol code: the state goes in and out as bytes (<see cref="Serialize"/>), for a
/// store such as <see cref="IRatchetSessionStore"/>. Calls on one session are serialised by a lock, so
/// two threads sharing a session cannot corrupt it; a failed decryption leaves the state unchanged.
/// </summary>
public sealed partial class RatchetSession : IDisposable
{
    private const int MaxAssociatedDataSize = 4096;

    private readonly Lock _gate = new();
    private readonly Suite _suite;
    private readonly byte[] _associatedData;
    private readonly RatchetLimits _limits;
    private readonly RatchetKdf _kdf;
    private readonly IAead _aead;
    private readonly SkippedMessageKeys _skipped;

    // CONCAT(AD, header) of the message in hand (§3.4), built here instead of in a new array per message;
    // only used under _gate.
    private readonly byte[] _associatedDataBuffer;
    private bool _disposed;

    internal RatchetSession(Suite suite, bool initiator, byte[] associatedData, DoubleRatchet classical, SparsePqRatchet postQuantum, SkippedMessageKeys skipped, CryptoProviders providers, RatchetLimits limits)
    {
        limits.Validate();
        _suite = suite;
        IsInitiator = initiator;
        _associatedData = associatedData;
        _associatedDataBuffer = new byte[associatedData.Length + RatchetMessage.MaxHeaderSize];
        associatedData.CopyTo(_associatedDataBuffer, 0);
        Classical = classical;
        PostQuantum = postQuantum;
        _skipped = skipped;
        _limits = limits;
        _kdf = new RatchetKdf(providers.Kdf(suite.RatchetKdf));
        _aead = providers.Aead(suite.Aead);
    }

    /// <summary>True for the side that started the session (Alice in §3.3).</summary>
    public bool IsInitiator { get; }

    /// <summary>The SPQR epochs whose secrets this side holds; it grows as the post-quantum ratchet completes epochs.</summary>
    public ulong PostQuantumEpochs
    {
        get
        {
            lock (_gate) return PostQuantum.KnownEpochs;
        }
    }

    /// <summary>Number of skipped message keys held for late messages.</summary>
    public int SkippedKeyCount
    {
        get
        {
            lock (_gate) return _skipped.Count;
        }
    }

    /// <summary>The ids of the skipped keys held, oldest first (for the device-wide bound in SessionCipher).</summary>
    internal IReadOnlyList<SkippedKeyId> SkippedKeyIds
    {
        get
        {
            lock (_gate) return [.. _skipped.Entries.Select(e => e.Id)];
        }
    }

    /// <summary>Deletes (and zeroes) the named skipped keys: their messages then fail as replays (§8.4).</summary>
    internal void EvictSkippedKeys(IEnumerable<SkippedKeyId> ids)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var id in ids) _skipped.Remove(id);
        }
    }

    internal DoubleRatchet Classical { get; }

    internal SparsePqRatchet PostQuantum { get; }

    /// <summary>
    /// §3.3 RatchetInitAlice, with the SPQR initialised from the same shared secret (§6). The
    /// <paramref name="associatedData"/> (from session setup: both identities) is bound into every message.
    /// </summary>
    public static RatchetSession CreateInitiator(ReadOnlySpan<byte> sharedSecret32, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> responderRatchetPublicKey, CryptoProviders? providers = null, RatchetLimits? limits = null)
    {
        providers ??= CryptoProviders.Default;
        var suite = SuitePolicy.Default.Preferred;
        var (kdf, drRoot, pqRoot, pqAuth) = Split(providers, suite, sharedSecret32, associatedData);
        var x25519 = providers.KeyAgreement(suite.SessionKeyAgreement);
        if (responderRatchetPublicKey.Length != x25519.Algorithm.PublicKeySize)
            throw new InvalidKeyException("The responder's ratchet public key must be a 32-byte X25519 key.");
        var classical = DoubleRatchet.Initiator(x25519, kdf, drRoot, responderRatchetPublicKey);
        var pq = SparsePqRatchet.Create(providers.Kem(suite.RatchetKem), kdf, initiator: true, pqRoot, pqAuth);
        return new RatchetSession(suite, true, associatedData.ToArray(), classical, pq, new SkippedMessageKeys(), providers, limits ?? RatchetLimits.Default);
    }

    /// <summary>
    /// §3.3 RatchetInitBob: the responder's signed prekey is its first ratchet key pair. The session
    /// keeps its own copy of the key; the caller still owns (and disposes) <paramref name="responderRatchetPrivateKey"/>.
    /// </summary>
    public static RatchetSession CreateResponder(ReadOnlySpan<byte> sharedSecret32, ReadOnlySpan<byte> associatedData, PrivateKey responderRatchetPrivateKey, CryptoProviders? providers = null, RatchetLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(responderRatchetPrivateKey);
        providers ??= CryptoProviders.Default;
        var suite = SuitePolicy.Default.Preferred;
        var x25519 = providers.KeyAgreement(suite.SessionKeyAgreement);
        if (responderRatchetPrivateKey.Algorithm != x25519.Algorithm)
            throw new InvalidKeyException($"The responder's ratchet key must be X25519, not {responderRatchetPrivateKey.Algorithm.Name}.");
        var (kdf, drRoot, pqRoot, pqAuth) = Split(providers, suite, sharedSecret32, associatedData);
        // The material and the public key the caller's key already has: an import would redo the base-point
        // multiplication (≈ 19 µs) only to get the same public key back.
        var ownCopy = new PrivateKey(responderRatchetPrivateKey.Algorithm, responderRatchetPrivateKey.ExportPrivateMaterial(), responderRatchetPrivateKey.Format, responderRatchetPrivateKey.PublicKey.ToArray());
        var classical = DoubleRatchet.Responder(x25519, kdf, drRoot, ownCopy);
        var pq = SparsePqRatchet.Create(providers.Kem(suite.RatchetKem), kdf, initiator: false, pqRoot, pqAuth);
        return new RatchetSession(suite, false, associatedData.ToArray(), classical, pq, new SkippedMessageKeys(), providers, limits ?? RatchetLimits.Default);
    }

    /// <summary>§6 TripleRatchetEncrypt: a classical and a post-quantum message key, mixed, then AEAD over CONCAT(AD, header).</summary>
    public byte[] Encrypt(ReadOnlySpan<byte> plaintext)
    {
        if (plaintext.Length > RatchetMessage.MaxPlaintextSize)
            throw new MalformedInputException($"Plaintext of {plaintext.Length} bytes exceeds the {RatchetMessage.MaxPlaintextSize}-byte limit.");
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Classical first: a responder that cannot send yet fails here, before SPQR changes.
            var (publicKey, previous, number, classicalKey) = Classical.NextSendingKey();
            var pq = PostQuantum.NextSend();
            var header = new RatchetHeader(_suite.Id, publicKey, previous, number, pq.Epoch, pq.Number, pq.ChunkIndex, pq.Chunk);
            var encodedHeader = RatchetMessage.EncodeHeader(header);
            var ciphertextLength = plaintext.Length + _aead.Algorithm.TagSize;
            var message = RatchetMessage.Allocate(encodedHeader, ciphertextLength, out var ciphertextStart);
            Seal(classicalKey, pq.MessageKey, encodedHeader, plaintext, message.AsSpan(ciphertextStart, ciphertextLength));
            return message;
        }
    }

    /// <summary>
    /// §6 TripleRatchetDecrypt: both ratchets' receive steps are planned, the message is authenticated,
    /// and only then is the state changed (§3.5: on any error the state changes are discarded).
    /// </summary>
    public byte[] Decrypt(ReadOnlySpan<byte> message)
    {
        var (header, encodedHeader, ciphertext) = RatchetMessage.Decode(message.ToArray());
        if (header.SuiteId != _suite.Id)
            throw new RatchetAuthenticationException($"Message is for suite {header.SuiteId}; this session uses {_suite}.");
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var classical = Classical.PlanReceive(header, _skipped, _limits);
            var pqKey = PostQuantum.PlanReceiveKey(header, _skipped, _limits);
            var plaintext = new byte[ciphertext.Length - _aead.Algorithm.TagSize];
            Open(classical.MessageKey, pqKey.MessageKey, encodedHeader, ciphertext, plaintext);
            var pq = PostQuantum.PlanReceive(pqKey, header);
            Classical.Commit(classical, _skipped, _limits);
            PostQuantum.Commit(pq, _skipped, _limits);
            return plaintext;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            Classical.Dispose();
            PostQuantum.Dispose();
            foreach (var (_, key) in _skipped.Entries) CryptographicOperations.ZeroMemory(key);
        }
    }

    public override string ToString() => $"RatchetSession({(IsInitiator ? "initiator" : "responder")}, {_suite}, redacted)";

    private static (RatchetKdf Kdf, byte[] DoubleRatchetRoot, byte[] PqRoot, byte[] PqAuthenticator) Split(CryptoProviders providers, Suite suite, ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> associatedData)
    {
        if (sharedSecret.Length != RatchetKdf.KeySize)
            throw new InvalidKeyException($"The session's shared secret must be {RatchetKdf.KeySize} bytes, not {sharedSecret.Length}.");
        if (associatedData.Length > MaxAssociatedDataSize)
            throw new MalformedInputException($"Associated data of {associatedData.Length} bytes exceeds {MaxAssociatedDataSize}.");
        var kdf = new RatchetKdf(providers.Kdf(suite.RatchetKdf));
        var (drRoot, pqRoot, pqAuth) = (new byte[RatchetKdf.KeySize], new byte[RatchetKdf.KeySize], new byte[RatchetKdf.KeySize]);
        kdf.SplitSharedSecret(sharedSecret, drRoot, pqRoot, pqAuth);
        return (kdf, drRoot, pqRoot, pqAuth);
    }

    private void Seal(byte[] classicalKey, byte[] pqKey, byte[] encodedHeader, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        Span<byte> key = stackalloc byte[RatchetKdf.KeySize];
        Span<byte> nonce = stackalloc byte[RatchetKdf.NonceSize];
        try
        {
            _kdf.HybridMessageKey(classicalKey, pqKey, key, nonce);
            _aead.Encrypt(key, nonce, plaintext, AssociatedData(encodedHeader), ciphertext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(classicalKey);
            CryptographicOperations.ZeroMemory(pqKey);
        }
    }

    private void Open(byte[] classicalKey, byte[] pqKey, byte[] encodedHeader, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        Span<byte> key = stackalloc byte[RatchetKdf.KeySize];
        Span<byte> nonce = stackalloc byte[RatchetKdf.NonceSize];
        try
        {
            _kdf.HybridMessageKey(classicalKey, pqKey, key, nonce);
            _aead.Decrypt(key, nonce, ciphertext, AssociatedData(encodedHeader), plaintext);
        }
        catch (DecryptionFailedException e)
        {
            throw new RatchetAuthenticationException("Message does not authenticate under this session (tampered, forged or for another session).", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(classicalKey);
            CryptographicOperations.ZeroMemory(pqKey);
        }
    }

    /// <summary>§3.4: AD from session setup, then the encoded header.</summary>
    private ReadOnlySpan<byte> AssociatedData(byte[] encodedHeader)
    {
        if (encodedHeader.Length > RatchetMessage.MaxHeaderSize) return (byte[])[.. _associatedData, .. encodedHeader];
        encodedHeader.CopyTo(_associatedDataBuffer, _associatedData.Length);
        return _associatedDataBuffer.AsSpan(0, _associatedData.Length + encodedHeader.Length);
    }
}
