using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Enigm.Crypto.Tests.Support;
using Enigm.Messaging.Attachments;
using Enigm.Messaging.Errors;
using Xunit;

namespace Enigm.Messaging.Tests.Attachments;

/// <summary>
/// Every vector of wycheproof/c2sp_chunked_encryption_aes_256_gcm_test.json, applied as the Wycheproof
/// guide (doc/c2sp_chunked_encryption.md) says: ct is zlib-compressed hex; valid vectors decrypt to
/// msgLength bytes with SHA-512 msgSha512; invalid ones fail with a typed error, emitting at most the
/// valid prefix; HeaderFailure ones fail before any chunk.
/// </summary>
public sealed class ChunkedEncryptionVectorTests
{
    private const string File = "wycheproof/c2sp_chunked_encryption_aes_256_gcm_test.json";

    public static TheoryData<int> Ids()
    {
        using var doc = VectorFiles.Load(File);
        var ids = new TheoryData<int>();
        foreach (var group in doc.RootElement.GetProperty("testGroups").EnumerateArray())
            foreach (var test in group.GetProperty("tests").EnumerateArray())
                ids.Add(test.GetProperty("tcId").GetInt32());
        return ids;
    }

    [Fact]
    public void File_holds_all_35_vectors_for_aes_256_gcm_with_sha_512()
    {
        using var doc = VectorFiles.Load(File);
        Assert.Equal(35, Ids().Count);
        var group = doc.RootElement.GetProperty("testGroups")[0];
        Assert.Equal("AEAD_AES_256_GCM", group.GetProperty("aead").GetString());
        Assert.Equal("SHA-512", group.GetProperty("sha").GetString());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Vector_decrypts_or_is_refused_with_a_typed_error(int id)
    {
        var v = Find(id);
        var key = Convert.FromHexString(v.GetProperty("key").GetString()!);
        var context = Convert.FromHexString(v.GetProperty("ctx").GetString()!);
        var ciphertext = Inflate(Convert.FromHexString(v.GetProperty("ct").GetString()!));
        var flags = v.GetProperty("flags").EnumerateArray().Select(f => f.GetString()).ToHashSet();
        var output = new MemoryStream();

        if (v.GetProperty("result").GetString() == "valid")
        {
            var length = ChunkedEncryption.Decrypt(key, context, new MemoryStream(ciphertext), output);
            Assert.Equal(v.GetProperty("msgLength").GetInt64(), length);
            Assert.Equal(v.GetProperty("msgSha512").GetString(), Convert.ToHexStringLower(SHA512.HashData(output.ToArray())));
            CheckDerivedKeys(v, key, context, ciphertext);
            return;
        }

        var error = Assert.ThrowsAny<EnigmException>(() => ChunkedEncryption.Decrypt(key, context, new MemoryStream(ciphertext), output));
        Assert.True(error is AttachmentKeyInvalidException or AttachmentKeyMismatchException or AttachmentTruncatedException
            or AttachmentCorruptException, $"unexpected {error.GetType().Name}");
        if (flags.Contains("InvalidKeySize")) Assert.IsType<AttachmentKeyInvalidException>(error);
        if (flags.Contains("WrongKey") || flags.Contains("WrongContext")) Assert.IsType<AttachmentKeyMismatchException>(error);
        if (flags.Contains("HeaderFailure")) Assert.Equal(0, output.Length);

        // Streaming may emit only a validly encrypted prefix (msgLength/msgSha512 describe the longest one).
        var prefix = output.ToArray();
        if (flags.Contains("PartialPlaintext"))
        {
            // Only whole verified chunks are released, never part of the failing one.
            Assert.InRange(prefix.Length, 0, v.GetProperty("msgLength").GetInt64());
            Assert.Equal(0, prefix.Length % ChunkedEncryption.ChunkSize);
            if (prefix.Length == v.GetProperty("msgLength").GetInt64())
                Assert.Equal(v.GetProperty("msgSha512").GetString(), Convert.ToHexStringLower(SHA512.HashData(prefix)));
        }
        else
        {
            Assert.Empty(prefix);
        }
    }

    [Fact]
    public void Re_encrypting_a_valid_vector_message_round_trips()
    {
        var v = Find(3);
        var key = Convert.FromHexString(v.GetProperty("key").GetString()!);
        var message = new MemoryStream();
        ChunkedEncryption.Decrypt(key, [], new MemoryStream(Inflate(Convert.FromHexString(v.GetProperty("ct").GetString()!))), message);
        var again = new MemoryStream();
        ChunkedEncryption.Encrypt(key, [], new MemoryStream(message.ToArray()), again);
        var back = new MemoryStream();
        ChunkedEncryption.Decrypt(key, [], new MemoryStream(again.ToArray()), back);
        Assert.Equal(message.ToArray(), back.ToArray());
    }

    private static void CheckDerivedKeys(JsonElement v, byte[] key, byte[] context, byte[] ciphertext)
    {
        Span<byte> aeadKey = stackalloc byte[32];
        Span<byte> baseNonce = stackalloc byte[12];
        Span<byte> commitment = stackalloc byte[32];
        ChunkedEncryptionKeys.Derive(key, ciphertext.AsSpan(0, 24), context, aeadKey, baseNonce, commitment);
        Assert.Equal(v.GetProperty("aeadKey").GetString(), Convert.ToHexStringLower(aeadKey));
        Assert.Equal(v.GetProperty("baseNonce").GetString(), Convert.ToHexStringLower(baseNonce));
        Assert.Equal(ciphertext.AsSpan(24, 32).ToArray(), commitment.ToArray());
    }

    private static JsonElement Find(int id)
    {
        using var doc = VectorFiles.Load(File);
        foreach (var group in doc.RootElement.GetProperty("testGroups").EnumerateArray())
            foreach (var test in group.GetProperty("tests").EnumerateArray())
                if (test.GetProperty("tcId").GetInt32() == id)
                    return test.Clone();
        throw new InvalidOperationException($"No vector {id}.");
    }

    private static byte[] Inflate(byte[] compressed)
    {
        using var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
        var output = new MemoryStream();
        zlib.CopyTo(output);
        return output.ToArray();
    }
}
