using System.Runtime.InteropServices;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Messaging.Ratchet;
using Enigm.Messaging.Ratchet.ErasureCoding;

namespace Enigm.Benchmarks;

/// <summary>
/// The pieces of one Triple Ratchet message, each alone, to show where the one-way pair's time goes
/// (docs/benchmarks.md, "Triple Ratchet"): a KDF_CK step (two HMAC-SHA-256), the §6 hybrid message key
/// (one HKDF-SHA-256), AES-256-GCM over 1 KiB, the header and message CBOR, and one Reed–Solomon parity chunk.
/// </summary>
[Config(typeof(ShortConfig))]
public partial class RatchetPartsBenchmarks
{
    private readonly byte[] _chain = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _messageKey = new byte[32];
    private readonly byte[] _key = new byte[32];
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _plaintext = RandomNumberGenerator.GetBytes(1024);
    private readonly byte[] _ciphertext = new byte[1024 + 16];
    private readonly byte[] _item = RandomNumberGenerator.GetBytes(1184 + 32);
    private readonly byte[] _associatedData = RandomNumberGenerator.GetBytes(200);
    private IAead _aead = null!;
    private RatchetKdf _kdf = null!;
    private RatchetHeader _header = null!;
    private byte[] _message = null!;
    private ReedSolomonEncoder _encoder = null!;

    [GlobalSetup]
    public void Setup()
    {
        _aead = CryptoProviders.Default.Aead(AeadAlgorithm.Aes256Gcm);
        _kdf = new RatchetKdf(CryptoProviders.Default.Kdf(KdfAlgorithm.HkdfSha256));
        _header = new RatchetHeader(1, RandomNumberGenerator.GetBytes(32), 5, 17, 3, 40, 45, RandomNumberGenerator.GetBytes(32));
        _encoder = new ReedSolomonEncoder(_item);
        _message = RatchetMessage.Encode(RatchetMessage.EncodeHeader(_header), _ciphertext);
    }

    [Benchmark]
    public byte ChainStep()
    {
        RatchetKdf.ChainStep(_chain, _chain, _messageKey);
        return _messageKey[0];
    }

    [Benchmark]
    public byte HybridMessageKey()
    {
        _kdf.HybridMessageKey(_chain, _messageKey, _key, _nonce);
        return _key[0];
    }

    [Benchmark]
    public byte AesGcmEncrypt1KiB()
    {
        _aead.Encrypt(_key, _nonce, _plaintext, _associatedData, _ciphertext);
        return _ciphertext[0];
    }

    [Benchmark]
    public int EncodeHeaderAndMessage() => RatchetMessage.Encode(RatchetMessage.EncodeHeader(_header), _ciphertext).Length;

    [Benchmark]
    public int DecodeMessage() => RatchetMessage.Decode(_message).Ciphertext.Length;

    /// <summary>From scratch: what every message paid before the encoder was kept per item.</summary>
    [Benchmark]
    public byte ParityChunk() => ReedSolomonErasureCode.Encode(_item, 45)[0];

    /// <summary>What the ratchet pays now: one chunk from the encoder it keeps while the item is in flight.</summary>
    [Benchmark]
    public byte ParityChunkCachedEncoder() => _encoder.Encode(45)[0];

    [Benchmark]
    public byte SodiumHmacPair()
    {
        Span<byte> next = stackalloc byte[32];
        crypto_auth_hmacsha256(_messageKey, [0x01], 1, _chain);
        crypto_auth_hmacsha256(next, [0x02], 1, _chain);
        next.CopyTo(_chain);
        return _messageKey[0];
    }

    [Benchmark]
    public byte SodiumHkdf44()
    {
        Span<byte> prk = stackalloc byte[32];
        Span<byte> okm = stackalloc byte[44];
        crypto_kdf_hkdf_sha256_extract(prk, _messageKey, 32, _chain, 32);
        crypto_kdf_hkdf_sha256_expand(okm, 44, "Enigm triple ratchet v1 message key"u8, 35, prk);
        return okm[0];
    }

    [Benchmark]
    public byte SodiumAesGcm1KiB()
    {
        crypto_aead_aes256gcm_encrypt_detached(_ciphertext, _ciphertext.AsSpan(1024), out _, _plaintext, 1024, _associatedData, (ulong)_associatedData.Length, 0, _nonce, _key);
        return _ciphertext[0];
    }

    [LibraryImport("libsodium")]
    private static partial int crypto_auth_hmacsha256(Span<byte> output, ReadOnlySpan<byte> input, ulong length, ReadOnlySpan<byte> key);

    [LibraryImport("libsodium")]
    private static partial int crypto_kdf_hkdf_sha256_extract(Span<byte> prk, ReadOnlySpan<byte> salt, nuint saltLength, ReadOnlySpan<byte> ikm, nuint ikmLength);

    [LibraryImport("libsodium")]
    private static partial int crypto_kdf_hkdf_sha256_expand(Span<byte> output, nuint outputLength, ReadOnlySpan<byte> context, nuint contextLength, ReadOnlySpan<byte> prk);

    [LibraryImport("libsodium")]
    private static partial int crypto_aead_aes256gcm_encrypt_detached(Span<byte> c, Span<byte> mac, out ulong macLength, ReadOnlySpan<byte> m, ulong mLength, ReadOnlySpan<byte> ad, ulong adLength, nint nsec, ReadOnlySpan<byte> npub, ReadOnlySpan<byte> k);
}
