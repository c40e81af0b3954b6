using System.Buffers.Binary;
using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Trust.Errors;

namespace Enigm.Trust.Enrollment;

/// <summary>Channel message types; each has a fixed direction and sequence number (docs/trust-verification.md).</summary>
internal enum EnrollmentMessageType : byte
{
    Hello = 1,
    Ready = 2,
    Reveal = 3,
    DeviceInfo = 4,
    AddDeviceRequest = 5,
    DeviceSignature = 6,
    AccountState = 7,
}

/// <summary>
/// The enrollment channel once keys are agreed: one AEAD key per direction with a sequence-number nonce,
/// every message framed as "ENEM" ‖ version ‖ type ‖ seq (u32 BE) ‖ AEAD ciphertext, the header being
/// the associated data. Keys: HKDF (suite KDF, RFC 5869) with IKM = X-Wing shared secret ‖ one-time
/// secret, salt = "enigm/enrollment/v1/keys", info = transcript hash; output existing→new key ‖
/// new→existing key ‖ SAS key. This is the usual KEM-then-KDF-then-AEAD construction (as in HPKE,
/// RFC 9180, base mode with a PSK-like extra secret); no new primitive.
/// </summary>
internal sealed class EnrollmentChannel : IDisposable
{
    public const byte Version = 1;

    public const int HeaderSize = 4 + 1 + 1 + 4;

    public const int NonceSize = 32;

    private const int KeySize = 32;

    private readonly Suite _suite;
    private readonly IAead _aead;
    private readonly SecretBytes _sendKey;
    private readonly SecretBytes _receiveKey;
    private readonly SecretBytes _sasKey;
    private readonly byte[] _transcriptHash;
    private uint _sendSequence;
    private uint _receiveSequence;

    private EnrollmentChannel(Suite suite, SecretBytes sendKey, SecretBytes receiveKey, SecretBytes sasKey, byte[] transcriptHash)
    {
        _suite = suite;
        _aead = CryptoProviders.Default.Aead(suite.Aead);
        _sendKey = sendKey;
        _receiveKey = receiveKey;
        _sasKey = sasKey;
        _transcriptHash = transcriptHash;
    }

    public static ReadOnlySpan<byte> Magic => "ENEM"u8;

    private static ReadOnlySpan<byte> TranscriptLabel => "enigm/enrollment/v1/transcript"u8;

    private static ReadOnlySpan<byte> KeyLabel => "enigm/enrollment/v1/keys"u8;

    private static ReadOnlySpan<byte> SasLabel => "enigm/enrollment/v1/sas"u8;

    private static ReadOnlySpan<byte> CommitLabel => "enigm/enrollment/v1/commit"u8;

    public static byte[] Header(EnrollmentMessageType type, uint sequence)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header);
        header[4] = Version;
        header[5] = (byte)type;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(6), sequence);
        return header;
    }

    /// <summary>Transcript hash: suite hash of label ‖ link code without its secret ‖ Hello up to its AEAD tag.</summary>
    public static byte[] TranscriptHash(Suite suite, ReadOnlySpan<byte> linkCodePublicPart, ReadOnlySpan<byte> helloPrefix)
    {
        var hash = CryptoProviders.Default.Hash(suite.Hash);
        var digest = new byte[suite.Hash.Size];
        hash.Hash([.. TranscriptLabel, .. linkCodePublicPart, .. helloPrefix], digest);
        return digest;
    }

    /// <summary>The commitment to the existing device's SAS nonce, sent in Hello and opened in Reveal.</summary>
    public static byte[] Commitment(Suite suite, ReadOnlySpan<byte> nonce)
    {
        var digest = new byte[suite.Hash.Size];
        CryptoProviders.Default.Hash(suite.Hash).Hash([.. CommitLabel, .. nonce], digest);
        return digest;
    }

    /// <summary>Derives the direction-separated keys; <paramref name="existingSide"/> picks which key sends.</summary>
    public static EnrollmentChannel Derive(Suite suite, ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> oneTimeSecret, byte[] transcriptHash, bool existingSide)
    {
        var ikm = new byte[sharedSecret.Length + oneTimeSecret.Length];
        var okm = new byte[3 * KeySize];
        try
        {
            sharedSecret.CopyTo(ikm);
            oneTimeSecret.CopyTo(ikm.AsSpan(sharedSecret.Length));
            CryptoProviders.Default.Kdf(suite.Kdf).DeriveKey(ikm, KeyLabel, transcriptHash, okm);
            var existingToNew = SecretBytes.CopyFrom(okm.AsSpan(0, KeySize));
            var newToExisting = SecretBytes.CopyFrom(okm.AsSpan(KeySize, KeySize));
            var sas = SecretBytes.CopyFrom(okm.AsSpan(2 * KeySize, KeySize));
            return existingSide
                ? new EnrollmentChannel(suite, existingToNew, newToExisting, sas, transcriptHash)
                : new EnrollmentChannel(suite, newToExisting, existingToNew, sas, transcriptHash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm);
            CryptographicOperations.ZeroMemory(okm);
        }
    }

    /// <summary>Seals the next outgoing message; <paramref name="prefix"/> (Hello's clear fields) is sent and authenticated too.</summary>
    public byte[] Seal(EnrollmentMessageType type, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> clearFields = default)
    {
        byte[] associated = [.. Header(type, _sendSequence), .. clearFields];
        var message = new byte[associated.Length + payload.Length + _suite.Aead.TagSize];
        associated.CopyTo(message, 0);
        _aead.Encrypt(_sendKey.Span, Nonce(_sendSequence), payload, associated, message.AsSpan(associated.Length));
        _sendSequence++;
        return message;
    }

    /// <summary>
    /// Opens the next incoming message of type <paramref name="expected"/>. A message with an earlier
    /// sequence number is a replay (<see cref="EnrollmentReplayException"/>); any other surprise or an
    /// authentication failure is <see cref="EnrollmentCodeInvalidException"/>; oversized or truncated
    /// input is <see cref="MalformedInputException"/>.
    /// </summary>
    public byte[] Open(ReadOnlySpan<byte> message, EnrollmentMessageType expected, int maxPayload, int clearFieldsSize = 0)
    {
        var overhead = HeaderSize + clearFieldsSize + _suite.Aead.TagSize;
        if (message.Length > overhead + maxPayload)
            throw new MalformedInputException($"Enrollment {expected} message of {message.Length} bytes exceeds its {overhead + maxPayload}-byte limit.");
        var (type, sequence) = ReadHeader(message, overhead);
        if (type == (byte)expected && sequence < _receiveSequence)
            throw new EnrollmentReplayException($"Enrollment {expected} message {sequence} was already received.");
        if (type != (byte)expected || sequence != _receiveSequence)
            throw new EnrollmentCodeInvalidException($"Expected enrollment {expected} message {_receiveSequence}, got type {type} number {sequence}.");

        var associated = message[..(HeaderSize + clearFieldsSize)];
        var plaintext = new byte[message.Length - overhead];
        try
        {
            _aead.Decrypt(_receiveKey.Span, Nonce(sequence), message[associated.Length..], associated, plaintext);
        }
        catch (DecryptionFailedException)
        {
            throw new EnrollmentCodeInvalidException($"Enrollment {expected} message does not authenticate: wrong link code, wrong key or tampered message.");
        }

        _receiveSequence++;
        return plaintext;
    }

    /// <summary>Checks magic and version; returns type and sequence number.</summary>
    public static (byte Type, uint Sequence) ReadHeader(ReadOnlySpan<byte> message, int minimumSize)
    {
        if (message.Length < Math.Max(HeaderSize, minimumSize))
            throw new MalformedInputException($"Enrollment message of {message.Length} bytes is truncated.");
        if (!message[..4].SequenceEqual(Magic)) throw new MalformedInputException("Not an Enigm enrollment message.");
        if (message[4] != Version) throw new UnsupportedFormatVersionException(message[4]);
        return (message[5], BinaryPrimitives.ReadUInt32BigEndian(message[6..]));
    }

    /// <summary>
    /// The SAS: HKDF(SAS key, info = label ‖ transcript hash ‖ existing nonce ‖ new nonce), 11 bytes.
    /// The existing device's nonce was committed to in Hello before it saw the new device's, and the new
    /// device chose its nonce after the commitment, so neither side (nor a man in the middle) can grind
    /// the SAS (the commit-then-reveal of ZRTP, RFC 6189 section 4.4.1.1, and Matrix SAS verification).
    /// </summary>
    public ShortAuthenticationString Sas(ReadOnlySpan<byte> existingNonce, ReadOnlySpan<byte> newNonce)
    {
        var output = new byte[11];
        CryptoProviders.Default.Kdf(_suite.Kdf).DeriveKey(_sasKey.Span, default, [.. SasLabel, .. _transcriptHash, .. existingNonce, .. newNonce], output);
        return ShortAuthenticationString.FromBytes(output);
    }

    private static byte[] Nonce(uint sequence)
    {
        // 4 zero bytes ‖ 64-bit sequence: unique per key, as each direction has its own key.
        var nonce = new byte[12];
        BinaryPrimitives.WriteUInt64BigEndian(nonce.AsSpan(4), sequence);
        return nonce;
    }

    public void Dispose()
    {
        _sendKey.Dispose();
        _receiveKey.Dispose();
        _sasKey.Dispose();
    }
}
