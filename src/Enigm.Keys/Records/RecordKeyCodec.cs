using System.Buffers.Binary;
using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;

namespace Enigm.Keys.Records;

/// <summary>
/// The plaintext of a record holding a private key (only ever sealed, built in pinned buffers and zeroed):
/// <c>"EKR1" ‖ u16 algorithm name length ‖ algorithm name ‖ u8 format ‖ u32 material length ‖ material ‖ metadata</c>.
/// Decoding imports the key through the provider and checks it is a valid key of the named algorithm, as the key
/// ring's own loader does. Keeping this in Enigm.Keys is what lets other parts persist keys without exporting them.
/// </summary>
internal static class RecordKeyCodec
{
    private static ReadOnlySpan<byte> Magic => "EKR1"u8;

    public static byte[] Encode(PrivateKey key, ReadOnlySpan<byte> metadata)
    {
        using var material = key.ExportPrivateMaterial();
        var name = System.Text.Encoding.UTF8.GetBytes(key.Algorithm.Name);
        var buffer = GC.AllocateArray<byte>(4 + 2 + name.Length + 1 + 4 + material.Length + metadata.Length, pinned: true);
        var span = buffer.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)name.Length);
        name.CopyTo(span[6..]);
        var at = 6 + name.Length;
        span[at++] = (byte)key.Format;
        BinaryPrimitives.WriteInt32BigEndian(span[at..], material.Length);
        at += 4;
        material.Span.CopyTo(span[at..]);
        metadata.CopyTo(span[(at + material.Length)..]);
        return buffer;
    }

    public static StoredKey Decode(string recordName, ReadOnlySpan<byte> plaintext, CryptoProviders providers)
    {
        try
        {
            if (plaintext.Length < 11 || !plaintext[..4].SequenceEqual(Magic)) throw Bad("not a key record");
            var nameLength = BinaryPrimitives.ReadUInt16BigEndian(plaintext[4..]);
            if (plaintext.Length < 6 + nameLength + 5) throw Bad("truncated");
            var algorithmName = System.Text.Encoding.UTF8.GetString(plaintext.Slice(6, nameLength));
            var at = 6 + nameLength;
            var format = (PrivateKeyFormat)plaintext[at++];
            var materialLength = BinaryPrimitives.ReadInt32BigEndian(plaintext[at..]);
            at += 4;
            if (materialLength <= 0 || materialLength > plaintext.Length - at || !Enum.IsDefined(format)) throw Bad("impossible key material");
            var material = plaintext.Slice(at, materialLength);
            var metadata = plaintext[(at + materialLength)..].ToArray();
            var algorithm = CryptoAlgorithm.All.FirstOrDefault(a => a.Name == algorithmName) ?? throw Bad($"unknown algorithm {algorithmName}");
            PrivateKey key = algorithm switch
            {
                SignatureAlgorithm s => providers.Signature(s).ImportPrivateKey(material, format),
                KemAlgorithm k when format == PrivateKeyFormat.Seed => providers.Kem(k).DeriveKeyPair(material),
                KemAlgorithm k => providers.Kem(k).ImportExpandedPrivateKey(material),
                KeyAgreementAlgorithm a => providers.KeyAgreement(a).ImportPrivateKey(material),
                _ => throw Bad($"{algorithm.Name} keys are not stored"),
            };
            return new StoredKey(key, metadata);
        }
        catch (EnigmException e) when (e is InvalidKeyException or MalformedInputException)
        {
            throw new RecordIntegrityException(recordName, "the record does not hold a valid key");
        }

        RecordIntegrityException Bad(string detail) => new(recordName, detail);
    }

    public static void Zero(byte[] buffer) => CryptographicOperations.ZeroMemory(buffer);
}

/// <summary>A private key read from a protected record, with the metadata stored beside it. The caller owns (disposes) the key.</summary>
public sealed record StoredKey(PrivateKey Key, byte[] Metadata) : IDisposable
{
    public void Dispose() => Key.Dispose();
}
