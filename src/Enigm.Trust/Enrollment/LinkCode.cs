using System.Buffers.Binary;
using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Trust.Verification;

namespace Enigm.Trust.Enrollment;

/// <summary>
/// What a new device shows (as a QR code or text) so that an existing device of the account can open
/// the enrollment channel: a code id, an expiry, the new device's X-Wing public key and a one-time
/// secret. Binary form: "ENLC" ‖ version (u8, 1) ‖ suite id (u16 BE) ‖ code id (16) ‖ expiry (i64 BE,
/// Unix seconds) ‖ KEM public key (the suite's hybrid KEM size; 1216 for X-Wing) ‖ one-time secret (32).
/// Text form: "enigm-link1:" ‖ base64url(binary). The one-time secret is secret: it is held in
/// <see cref="SecretBytes"/>, and the encodings should only be shown on the new device's screen.
/// </summary>
public sealed class LinkCode : IDisposable
{
    public const byte Version = 1;

    public const int CodeIdSize = 16;

    public const int SecretSize = 32;

    public const string TextPrefix = "enigm-link1:";

    /// <summary>Parsers refuse anything larger than this before decoding (the largest known KEM key plus the fixed fields).</summary>
    public const int MaxBinarySize = 4 + 1 + 2 + CodeIdSize + 8 + 4096 + SecretSize;

    public const int MaxTextLength = 12 + ((MaxBinarySize + 2) / 3 * 4);

    private const int FixedPrefixSize = 4 + 1 + 2 + CodeIdSize + 8;

    private readonly byte[] _codeId;
    private readonly byte[] _kemPublicKey;
    private readonly SecretBytes _secret;

    internal LinkCode(Suite suite, ReadOnlySpan<byte> codeId, DateTimeOffset expiresAt, ReadOnlySpan<byte> kemPublicKey, SecretBytes secret)
    {
        Suite = suite;
        _codeId = codeId.ToArray();
        ExpiresAt = expiresAt;
        _kemPublicKey = kemPublicKey.ToArray();
        _secret = secret;
    }

    private static ReadOnlySpan<byte> Magic => "ENLC"u8;

    public Suite Suite { get; }

    /// <summary>Random id of this code; the Hello names it.</summary>
    public ReadOnlySpan<byte> CodeId => _codeId;

    /// <summary>Second-resolution expiry; after it the code is refused on both devices.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>The new device's X-Wing encapsulation key.</summary>
    public ReadOnlySpan<byte> KemPublicKey => _kemPublicKey;

    internal SecretBytes OneTimeSecret => _secret;

    /// <summary>The binary form, secret included (for the QR code on the new device's screen).</summary>
    public byte[] ToBytes() => [.. PublicPart(), .. _secret.Span];

    /// <summary>The text form, secret included.</summary>
    public string ToText()
    {
        var bytes = ToBytes();
        try
        {
            return TextPrefix + Base64Url.Encode(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Everything but the one-time secret: what the enrollment transcript hashes.</summary>
    internal byte[] PublicPart()
    {
        var bytes = new byte[FixedPrefixSize + _kemPublicKey.Length];
        Magic.CopyTo(bytes);
        bytes[4] = Version;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(5), Suite.Id);
        _codeId.CopyTo(bytes, 7);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(7 + CodeIdSize), ExpiresAt.ToUnixTimeSeconds());
        _kemPublicKey.CopyTo(bytes, FixedPrefixSize);
        return bytes;
    }

    /// <summary>
    /// Parses the binary form. Throws <see cref="MalformedInputException"/> (bad magic, length, expiry),
    /// <see cref="UnsupportedFormatVersionException"/>, <see cref="UnknownSuiteException"/>,
    /// <see cref="SuiteRefusedException"/> or <see cref="InvalidKeyException"/> (KEM key fails its checks).
    /// </summary>
    public static LinkCode Parse(ReadOnlySpan<byte> bytes, SuitePolicy? policy = null)
    {
        if (bytes.Length > MaxBinarySize) throw new MalformedInputException($"A link code is at most {MaxBinarySize} bytes.");
        if (bytes.Length < FixedPrefixSize || !bytes[..4].SequenceEqual(Magic))
            throw new MalformedInputException("Not an Enigm link code.");
        if (bytes[4] != Version) throw new UnsupportedFormatVersionException(bytes[4]);
        var suiteId = BinaryPrimitives.ReadUInt16BigEndian(bytes[5..]);
        var suite = (policy ?? SuitePolicy.Default).Require(suiteId, ReliedOn(SuiteRegistry.Get(suiteId)));
        var kem = suite.HybridKem;
        if (bytes.Length != FixedPrefixSize + kem.PublicKeySize + SecretSize)
            throw new MalformedInputException($"A suite-{suite.Id} link code is {FixedPrefixSize + kem.PublicKeySize + SecretSize} bytes, not {bytes.Length}.");

        var expirySeconds = BinaryPrimitives.ReadInt64BigEndian(bytes[(7 + CodeIdSize)..]);
        if (expirySeconds < 0 || expirySeconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            throw new MalformedInputException("The link code's expiry is out of range.");

        var publicKey = bytes.Slice(FixedPrefixSize, kem.PublicKeySize);
        CryptoProviders.Default.Kem(kem).ValidatePublicKey(publicKey);
        var secret = SecretBytes.CopyFrom(bytes.Slice(FixedPrefixSize + kem.PublicKeySize, SecretSize));
        return new LinkCode(suite, bytes.Slice(7, CodeIdSize), DateTimeOffset.FromUnixTimeSeconds(expirySeconds), publicKey, secret);
    }

    /// <summary>
    /// What an enrollment started from a code of <paramref name="suite"/> relies on: the hybrid KEM its
    /// key is for (X-Wing counts while ML-KEM-768 or X25519 is accepted), and the channel's AEAD, KDF and hash.
    /// </summary>
    internal static CryptoAlgorithm[] ReliedOn(Suite suite) => [suite.HybridKem, suite.Aead, suite.Kdf, suite.Hash];

    /// <summary>Parses the text form (same errors as <see cref="Parse"/>).</summary>
    public static LinkCode ParseText(string text, SuitePolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxTextLength) throw new MalformedInputException($"Link code text exceeds {MaxTextLength} characters.");
        if (!text.StartsWith(TextPrefix, StringComparison.Ordinal))
            throw new MalformedInputException($"A link code starts with '{TextPrefix}'.");
        var bytes = Base64Url.Decode(text.AsSpan(TextPrefix.Length), "link code");
        try
        {
            return Parse(bytes, policy);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    public void Dispose() => _secret.Dispose();

    public override string ToString() => $"LinkCode({Convert.ToHexStringLower(_codeId)}, expires {ExpiresAt:O}, secret redacted)";
}
