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
public class RatchetPartsBenchmarks
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

    [GlobalSetup]
    public void Setup()
    {
        _aead = CryptoProviders.Default.Aead(AeadAlgorithm.Aes256Gcm);
        _kdf = new RatchetKdf(CryptoProviders.Default.Kdf(KdfAlgorithm.HkdfSha256));
        _header = new RatchetHeader(1, RandomNumberGenerator.GetBytes(32), 5, 17, 3, 40, 45, RandomNumberGenerator.GetBytes(32));
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

    [Benchmark]
    public byte ParityChunk() => ReedSolomonErasureCode.Encode(_item, 45)[0];
}
