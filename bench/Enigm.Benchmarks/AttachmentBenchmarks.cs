using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Messaging.Attachments;

namespace Enigm.Benchmarks;

/// <summary>
/// Attachments at 1 MiB (docs/attachments.md): C2SP chunked encryption with AES-256-GCM in 16 KiB chunks plus
/// the SHA-256 of the ciphertext the pointer carries, each direction, against its parts alone: AES-256-GCM
/// over the same 64 chunks with one key (the baseline, what `openssl speed -evp aes-256-gcm` measures per
/// 16 KiB block) and SHA-256 over 1 MiB.
/// </summary>
[Config(typeof(ShortConfig))]
public class AttachmentBenchmarks
{
    private const int Size = 1 << 20;
    private readonly byte[] _plaintext = RandomNumberGenerator.GetBytes(Size);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _chunk = new byte[16 * 1024];
    private readonly byte[] _tag = new byte[16];
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _digest = new byte[32];
    private MemoryStream _ciphertext = null!;
    private MemoryStream _output = null!;
    private AttachmentPointer _pointer = null!;
    private byte[] _sealed = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ciphertext = new MemoryStream(Size + 4096);
        _output = new MemoryStream(Size + 4096);
        _pointer = AttachmentCipher.Encrypt(new MemoryStream(_plaintext), _ciphertext, "application/octet-stream");
        _sealed = _ciphertext.ToArray();
    }

    [Benchmark(Baseline = true)]
    public byte AesGcmChunks1MiB()
    {
        using var aes = new AesGcm(_key, 16);
        for (var offset = 0; offset < Size; offset += _chunk.Length)
            aes.Encrypt(_nonce, _plaintext.AsSpan(offset, _chunk.Length), _chunk, _tag);
        return _tag[0];
    }

    [Benchmark]
    public byte Sha256_1MiB()
    {
        SHA256.HashData(_plaintext, _digest);
        return _digest[0];
    }

    [Benchmark]
    public long Encrypt1MiB()
    {
        _ciphertext.Position = 0;
        return AttachmentCipher.Encrypt(new MemoryStream(_plaintext, writable: false), _ciphertext, "application/octet-stream").Length;
    }

    [Benchmark]
    public long Decrypt1MiB()
    {
        _output.Position = 0;
        AttachmentCipher.Decrypt(_pointer, new MemoryStream(_sealed, writable: false), _output);
        return _output.Position;
    }

    /// <summary>The one-thread path (what a one-core machine or a small attachment gets): the same work as
    /// <see cref="Encrypt1MiB"/> with the digest hashed inline.</summary>
    [Benchmark]
    public long Encrypt1MiBInlineDigest()
    {
        _ciphertext.Position = 0;
        using var digest = new InlineCiphertextDigest();
        var length = ChunkedEncryption.Encrypt(_key, "enigm/attachment/v1"u8, new MemoryStream(_plaintext, writable: false), _ciphertext, digest);
        digest.Finish();
        return length;
    }

    [Benchmark]
    public long Decrypt1MiBInlineDigest()
    {
        _output.Position = 0;
        using var digest = new InlineCiphertextDigest();
        ChunkedEncryption.Decrypt(_pointer.Key.Span, "enigm/attachment/v1"u8, new MemoryStream(_sealed, writable: false), _output, digest);
        digest.Finish();
        return _output.Position;
    }
}
