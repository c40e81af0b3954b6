using System.Security.Cryptography;
using Enigm.Messaging.Attachments;
using Enigm.Messaging.Errors;
using Xunit;

namespace Enigm.Messaging.Tests.Attachments;

/// <summary>Round trips at the chunk boundaries, and every tampering of the issue refused with its typed error.</summary>
public sealed class AttachmentTamperingTests
{
    private const int Chunk = ChunkedEncryption.ChunkSize;
    private const int Sealed = ChunkedEncryption.SealedChunkSize;
    private const int Header = 56;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData(3 * Chunk)]
    public void Round_trips_with_the_spec_ciphertext_length(int size)
    {
        var plaintext = RandomNumberGenerator.GetBytes(size);
        var (pointer, ciphertext) = Encrypt(plaintext);
        // One short (possibly empty) final chunk after size / 16 KiB full ones, 16 bytes of tag each.
        Assert.Equal(Header + ((size / Chunk) + 1) * 16 + size, ciphertext.Length);
        Assert.Equal(ciphertext.Length, pointer.CiphertextLength);
        Assert.Equal(SHA256.HashData(ciphertext), pointer.Digest.ToArray());
        Assert.Equal(size, pointer.Length);
        Assert.Equal(plaintext, Decrypt(pointer, ciphertext));
    }

    [Fact]
    public void Each_attachment_gets_a_fresh_random_key()
    {
        var (a, _) = Encrypt([1, 2, 3]);
        var (b, _) = Encrypt([1, 2, 3]);
        Assert.NotEqual(a.Key.ToArray(), b.Key.ToArray());
        Assert.NotEqual(a.Digest.ToArray(), b.Digest.ToArray());
    }

    [Fact]
    public void Rejects_dropped_final_chunk()
    {
        var (_, ciphertext, key) = Raw(3 * Chunk + 100);
        var cut = ciphertext[..(Header + 3 * Sealed)];
        Assert.Throws<AttachmentTruncatedException>(() => RawDecrypt(key, cut));
    }

    [Fact]
    public void Rejects_missing_empty_final_chunk_of_an_exact_multiple()
    {
        var (_, ciphertext, key) = Raw(2 * Chunk);
        Assert.Throws<AttachmentTruncatedException>(() => RawDecrypt(key, ciphertext[..^16]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(Sealed)]
    public void Rejects_dropped_trailing_bytes(int dropped)
    {
        var (_, ciphertext, key) = Raw(2 * Chunk + 500);
        Assert.ThrowsAny<EnigmException>(() => RawDecrypt(key, ciphertext[..^dropped]));
        var (pointer, full) = Encrypt(new byte[2 * Chunk + 500]);
        Assert.ThrowsAny<EnigmException>(() => Decrypt(pointer, full[..^dropped]));
    }

    [Fact]
    public void Rejects_truncated_header()
    {
        var (_, ciphertext, key) = Raw(10);
        Assert.Throws<AttachmentTruncatedException>(() => RawDecrypt(key, ciphertext[..55]));
    }

    [Fact]
    public void Rejects_reordered_chunks()
    {
        var (_, ciphertext, key) = Raw(3 * Chunk + 10);
        var swapped = (byte[])ciphertext.Clone();
        ciphertext.AsSpan(Header, Sealed).CopyTo(swapped.AsSpan(Header + Sealed));
        ciphertext.AsSpan(Header + Sealed, Sealed).CopyTo(swapped.AsSpan(Header));
        var error = Assert.Throws<AttachmentCorruptException>(() => RawDecrypt(key, swapped));
        Assert.Contains("Chunk 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_duplicated_chunk()
    {
        var (_, ciphertext, key) = Raw(2 * Chunk + 10);
        var duplicated = ciphertext[..(Header + Sealed)].Concat(ciphertext[Header..]).ToArray();
        Assert.Throws<AttachmentCorruptException>(() => RawDecrypt(key, duplicated));
    }

    [Fact]
    public void Rejects_chunk_spliced_from_another_attachment_under_the_same_key()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var plaintext = new byte[2 * Chunk + 10];
        var first = RawEncrypt(key, plaintext);
        var second = RawEncrypt(key, plaintext);
        second.AsSpan(Header + Sealed, Sealed).CopyTo(first.AsSpan(Header + Sealed)); // same index, other salt
        Assert.Throws<AttachmentCorruptException>(() => RawDecrypt(key, first));
    }

    [Fact]
    public void Rejects_chunk_spliced_from_an_attachment_under_another_key()
    {
        var (pointer, ciphertext) = Encrypt(new byte[2 * Chunk + 10]);
        var (_, other) = Encrypt(new byte[2 * Chunk + 10]);
        other.AsSpan(Header, Sealed).CopyTo(ciphertext.AsSpan(Header));
        Assert.Throws<AttachmentCorruptException>(() => Decrypt(pointer with { Digest = SHA256.HashData(ciphertext) }, ciphertext));
        Assert.ThrowsAny<EnigmException>(() => Decrypt(pointer, ciphertext));
    }

    [Fact]
    public void Rejects_appended_data()
    {
        var (_, raw, key) = Raw(Chunk + 3);
        Assert.Throws<AttachmentCorruptException>(() => RawDecrypt(key, [.. raw, 0]));
        Assert.Throws<AttachmentCorruptException>(() => RawDecrypt(key, [.. raw, .. raw[Header..]]));

        var (pointer, ciphertext) = Encrypt(new byte[Chunk + 3]);
        Assert.Throws<AttachmentLengthMismatchException>(() => Decrypt(pointer, [.. ciphertext, 0]));
    }

    [Fact]
    public void Rejects_wrong_key_before_decrypting_any_chunk()
    {
        var (pointer, ciphertext) = Encrypt(new byte[100]);
        var output = new MemoryStream();
        Assert.Throws<AttachmentKeyMismatchException>(() => AttachmentCipher.Decrypt(
            pointer with { Key = RandomNumberGenerator.GetBytes(32) }, new MemoryStream(ciphertext), output));
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public void Rejects_key_of_the_wrong_size() =>
        Assert.Throws<AttachmentKeyInvalidException>(() => RawDecrypt(new byte[16], new byte[100]));

    [Fact]
    public void Rejects_digest_mismatch()
    {
        var (pointer, ciphertext) = Encrypt(new byte[100]);
        var digest = pointer.Digest.ToArray();
        digest[0] ^= 1;
        Assert.Throws<AttachmentDigestMismatchException>(() => Decrypt(pointer with { Digest = digest }, ciphertext));
    }

    [Fact]
    public void Rejects_length_mismatch()
    {
        var (pointer, ciphertext) = Encrypt(new byte[100]);
        Assert.Throws<AttachmentLengthMismatchException>(() => Decrypt(pointer with { Length = 101 }, ciphertext));
        Assert.Throws<AttachmentLengthMismatchException>(() => Decrypt(pointer with { Length = 99 }, ciphertext));
    }

    [Fact]
    public void Rejects_modified_chunk_byte_and_releases_only_verified_chunks()
    {
        var plaintext = RandomNumberGenerator.GetBytes(2 * Chunk + 7);
        var (pointer, ciphertext) = Encrypt(plaintext);
        ciphertext[Header + Sealed + 5] ^= 0x80; // inside chunk 1
        var output = new MemoryStream();
        Assert.Throws<AttachmentCorruptException>(() => AttachmentCipher.Decrypt(pointer, new MemoryStream(ciphertext), output));
        Assert.Equal(plaintext[..Chunk], output.ToArray());
    }

    private static (AttachmentPointer Pointer, byte[] Ciphertext) Encrypt(byte[] plaintext)
    {
        var ciphertext = new MemoryStream();
        var pointer = AttachmentCipher.Encrypt(new MemoryStream(plaintext), ciphertext, "application/octet-stream");
        return (pointer, ciphertext.ToArray());
    }

    private static byte[] Decrypt(AttachmentPointer pointer, byte[] ciphertext)
    {
        var output = new MemoryStream();
        AttachmentCipher.Decrypt(pointer, new MemoryStream(ciphertext), output);
        return output.ToArray();
    }

    private static (byte[] Plaintext, byte[] Ciphertext, byte[] Key) Raw(int size)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var plaintext = RandomNumberGenerator.GetBytes(size);
        return (plaintext, RawEncrypt(key, plaintext), key);
    }

    private static byte[] RawEncrypt(byte[] key, byte[] plaintext)
    {
        var output = new MemoryStream();
        ChunkedEncryption.Encrypt(key, [], new MemoryStream(plaintext), output);
        return output.ToArray();
    }

    private static byte[] RawDecrypt(byte[] key, byte[] ciphertext)
    {
        var output = new MemoryStream();
        ChunkedEncryption.Decrypt(key, [], new MemoryStream(ciphertext), output);
        return output.ToArray();
    }
}
