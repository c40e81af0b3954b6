using System.Security.Cryptography;
using Enigm.Messaging.Attachments;
using Enigm.Messaging.Errors;
using Xunit;

namespace Enigm.Messaging.Tests.Attachments;

/// <summary>
/// The attachment digest hashed on a second core (<see cref="PipelinedCiphertextDigest"/>): the same bytes and the
/// same digest as the one-thread path at every chunk and slot boundary, failures and cancellation reaching the
/// caller as themselves, tampering still refused, memory bounded.
/// </summary>
public sealed class PipelinedDigestTests
{
    private const int Chunk = ChunkedEncryption.ChunkSize;
    private const int Sealed = ChunkedEncryption.SealedChunkSize;
    private const int Header = ChunkedEncryptionKeys.HeaderSize;
    private const int ChunksPerSlot = 4;

    public static TheoryData<int> Sizes => new()
    {
        0, 1, Chunk - 1, Chunk, Chunk + 1,
        (ChunksPerSlot * Chunk) - 1, ChunksPerSlot * Chunk, (ChunksPerSlot * Chunk) + 1, // one slot
        (ChunksPerSlot * PipelinedCiphertextDigest.SlotCount * Chunk) + 5, // the ring wraps
        (17 * ChunksPerSlot * Chunk) + Chunk - 3, // many wraps, the worker and the caller both hashing
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Pipelined_and_inline_paths_write_the_same_ciphertext_and_digest(int size)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var salt = RandomNumberGenerator.GetBytes(ChunkedEncryptionKeys.SaltSize);
        var plaintext = RandomNumberGenerator.GetBytes(size);

        var (inline, inlineDigest) = Encrypt(key, salt, plaintext, new InlineCiphertextDigest());
        var (pipelined, pipelinedDigest) = Encrypt(key, salt, plaintext, new PipelinedCiphertextDigest());

        Assert.Equal(ChunkedEncryption.CiphertextLength(size), inline.Length);
        Assert.Equal(inline, pipelined);
        Assert.Equal(SHA256.HashData(inline), inlineDigest);
        Assert.Equal(inlineDigest, pipelinedDigest);

        using var digest = new PipelinedCiphertextDigest();
        var output = new MemoryStream();
        Assert.Equal(size, ChunkedEncryption.Decrypt(key, [], new MemoryStream(pipelined), output, digest));
        Assert.Equal(plaintext, output.ToArray());
        Assert.Equal(inlineDigest, digest.Finish());
    }

    [Fact]
    public void A_large_attachment_round_trips_through_the_pipelined_path_with_the_digest_of_its_ciphertext()
    {
        var plaintext = RandomNumberGenerator.GetBytes(3 * (int)CiphertextDigests.PipelineThreshold);
        var ciphertext = new MemoryStream();
        var pointer = AttachmentCipher.Encrypt(new MemoryStream(plaintext), ciphertext, "image/png");
        Assert.Equal(SHA256.HashData(ciphertext.ToArray()), pointer.Digest.ToArray());
        Assert.Equal(plaintext, Decrypt(pointer, ciphertext.ToArray()));
    }

    [Fact]
    public void A_hash_failure_in_the_pipeline_reaches_the_caller_as_itself_when_encrypting()
    {
        var digest = new PipelinedCiphertextDigest(hash: new FailingHash(failOnAppend: 3));
        var error = Assert.Throws<CryptographicException>(() =>
        {
            using (digest)
            {
                ChunkedEncryption.Encrypt(RandomNumberGenerator.GetBytes(32), [], new MemoryStream(new byte[2 << 20]), Stream.Null, digest);
                digest.Finish();
            }
        });
        Assert.Equal(FailingHash.Message, error.Message);
    }

    [Fact]
    public void A_hash_failure_in_the_pipeline_reaches_the_caller_as_itself_when_decrypting()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var (ciphertext, _) = Encrypt(key, new byte[ChunkedEncryptionKeys.SaltSize], new byte[1 << 20], new InlineCiphertextDigest());
        var error = Assert.Throws<CryptographicException>(() =>
        {
            using var digest = new PipelinedCiphertextDigest(hash: new FailingHash(failOnAppend: 2));
            ChunkedEncryption.Decrypt(key, [], new MemoryStream(ciphertext), Stream.Null, digest);
            digest.Finish();
        });
        Assert.Equal(FailingHash.Message, error.Message);
    }

    [Fact]
    public void Cancelling_mid_stream_stops_encryption_and_decryption_with_OperationCanceledException()
    {
        using var cancel = new CancellationTokenSource();
        var source = new CancellingStream(new MemoryStream(new byte[4 << 20]), cancel, afterBytes: 1 << 20);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            AttachmentCipher.Encrypt(source, Stream.Null, "application/octet-stream", cancel.Token));
        Assert.True(source.Position < 2 << 20, $"read {source.Position} bytes after the cancellation");

        var plaintext = new byte[4 << 20];
        var ciphertext = new MemoryStream();
        var pointer = AttachmentCipher.Encrypt(new MemoryStream(plaintext), ciphertext, "application/octet-stream");
        using var cancelDecrypt = new CancellationTokenSource();
        var sealedSource = new CancellingStream(new MemoryStream(ciphertext.ToArray()), cancelDecrypt, afterBytes: 1 << 20);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            AttachmentCipher.Decrypt(pointer, sealedSource, Stream.Null, cancelDecrypt.Token));
    }

    [Fact]
    public void Refuses_a_truncated_ciphertext_on_the_pipelined_path()
    {
        var (pointer, ciphertext) = EncryptLarge();
        Assert.Throws<AttachmentTruncatedException>(() => Decrypt(pointer, ciphertext[..^((int)(ciphertext.Length - Header) % Sealed)]));
    }

    [Fact]
    public void Refuses_reordered_chunks_on_the_pipelined_path()
    {
        var (pointer, ciphertext) = EncryptLarge();
        var swapped = (byte[])ciphertext.Clone();
        ciphertext.AsSpan(Header + (9 * Sealed), Sealed).CopyTo(swapped.AsSpan(Header + (10 * Sealed)));
        ciphertext.AsSpan(Header + (10 * Sealed), Sealed).CopyTo(swapped.AsSpan(Header + (9 * Sealed)));
        var error = Assert.Throws<AttachmentCorruptException>(() => Decrypt(pointer, swapped));
        Assert.Contains("Chunk 9", error.Message);
    }

    [Fact]
    public void Refuses_a_chunk_spliced_from_another_attachment_under_the_same_key_on_the_pipelined_path()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var plaintext = RandomNumberGenerator.GetBytes(40 * Chunk);
        var (a, _) = Encrypt(key, RandomNumberGenerator.GetBytes(ChunkedEncryptionKeys.SaltSize), plaintext, new InlineCiphertextDigest());
        var (b, _) = Encrypt(key, RandomNumberGenerator.GetBytes(ChunkedEncryptionKeys.SaltSize), plaintext, new InlineCiphertextDigest());
        b.AsSpan(Header + (20 * Sealed), Sealed).CopyTo(a.AsSpan(Header + (20 * Sealed)));
        using var digest = new PipelinedCiphertextDigest();
        var error = Assert.Throws<AttachmentCorruptException>(() =>
            ChunkedEncryption.Decrypt(key, [], new MemoryStream(a), Stream.Null, digest));
        Assert.Contains("Chunk 20", error.Message);
    }

    [Fact]
    public void Refuses_a_digest_mismatch_on_the_pipelined_path_after_every_chunk_verified()
    {
        var (pointer, ciphertext) = EncryptLarge();
        var wrongDigest = pointer.Digest.ToArray();
        wrongDigest[0] ^= 1;
        var forged = pointer with { Digest = wrongDigest };
        Assert.Throws<AttachmentDigestMismatchException>(() => Decrypt(forged, ciphertext));
    }

    [Fact]
    public void Streams_64_MiB_through_the_pipelined_path_in_bounded_memory()
    {
        const long size = 64L << 20;
        var ciphertext = new CountingSink();
        var before = GC.GetAllocatedBytesForCurrentThread();
        // A stream that cannot seek has no known length: the pipelined digest is chosen for it.
        AttachmentCipher.Encrypt(new ZeroSource(size), ciphertext, "application/octet-stream");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(ChunkedEncryption.CiphertextLength(size), ciphertext.Written);
        // The ring is 4 pooled slots of 64 KiB (rented once per process); nothing grows with the length.
        Assert.True(allocated < 256 * 1024, $"{allocated} bytes allocated on the caller's thread for 64 MiB");
    }

    [Fact]
    public void A_disposed_pipelined_digest_refuses_further_use()
    {
        var digest = new PipelinedCiphertextDigest();
        digest.Reserve(Sealed);
        digest.Commit(Sealed);
        digest.Dispose();
        Assert.Throws<ObjectDisposedException>(() => digest.Reserve(Sealed));
    }

    private static (byte[] Ciphertext, byte[] Digest) Encrypt(byte[] key, byte[] salt, byte[] plaintext, ICiphertextDigest digest)
    {
        using (digest)
        {
            var output = new MemoryStream();
            ChunkedEncryption.Encrypt(key, [], salt, new MemoryStream(plaintext), output, digest);
            return (output.ToArray(), digest.Finish());
        }
    }

    private static (AttachmentPointer Pointer, byte[] Ciphertext) EncryptLarge()
    {
        var ciphertext = new MemoryStream();
        var pointer = AttachmentCipher.Encrypt(new MemoryStream(RandomNumberGenerator.GetBytes((30 * Chunk) + 1000)), ciphertext, "application/octet-stream");
        Assert.True(ciphertext.Length >= CiphertextDigests.PipelineThreshold);
        return (pointer, ciphertext.ToArray());
    }

    private static byte[] Decrypt(AttachmentPointer pointer, byte[] ciphertext)
    {
        var output = new MemoryStream();
        AttachmentCipher.Decrypt(pointer, new MemoryStream(ciphertext), output);
        return output.ToArray();
    }

    /// <summary>SHA-256 that throws on its n-th append, on whichever thread runs it (the worker or the caller).</summary>
    private sealed class FailingHash(int failOnAppend) : ISequentialHash
    {
        public const string Message = "hash failed on purpose";
        private readonly Sha256SequentialHash _inner = new();
        private int _appends;

        public void Append(ReadOnlySpan<byte> data)
        {
            if (++_appends == failOnAppend) throw new CryptographicException(Message);
            _inner.Append(data);
        }

        public byte[] Final() => _inner.Final();

        public void Dispose() => _inner.Dispose();
    }

    /// <summary>Reads through <c>inner</c> and cancels <c>cancel</c> once <c>afterBytes</c> have been read.</summary>
    private sealed class CancellingStream(Stream inner, CancellationTokenSource cancel, long afterBytes) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            _read += read;
            if (_read >= afterBytes) cancel.Cancel();
            return read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class ZeroSource(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            buffer[..n].Clear();
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class CountingSink : Stream
    {
        public long Written { get; private set; }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Written;
        public override long Position { get => Written; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Written += count;

        public override void Write(ReadOnlySpan<byte> buffer) => Written += buffer.Length;

        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
