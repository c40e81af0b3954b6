using System.Formats.Cbor;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;

namespace Enigm.Keys.Protection;

/// <summary>
/// The parameters of a passphrase descriptor, deterministic CBOR:
/// <c>[version, [memoryKiB, iterations, parallelism], salt (16 bytes), check (nonce ‖ ciphertext ‖ tag)]</c>.
/// Decoding is strict: size limit, canonical encoding, exact shapes and the <see cref="Argon2idSettings"/> bounds.
/// </summary>
internal sealed record PassphraseDescriptor(Argon2idSettings Settings, byte[] Salt, byte[] Check)
{
    public const int Version = 1;

    /// <summary>RFC 9106 3.1 recommends 16 bytes of salt; libsodium's crypto_pwhash_argon2id_SALTBYTES.</summary>
    public const int SaltSize = 16;

    /// <summary>Far above the ~100 bytes a valid descriptor takes.</summary>
    public const int MaxEncodedSize = 256;

    /// <summary>The fixed plaintext of the check value.</summary>
    public static readonly byte[] CheckLabel = "enigm-keys/passphrase-check/v1"u8.ToArray();

    public static int CheckSize => AeadAlgorithm.Aes256Gcm.NonceSize + CheckLabel.Length + AeadAlgorithm.Aes256Gcm.TagSize;

    public byte[] Encode()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(4);
        writer.WriteInt32(Version);
        WriteSettings(writer);
        writer.WriteByteString(Salt);
        writer.WriteByteString(Check);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>Associated data of the check value: label, version, costs and salt, so none can be edited alone.</summary>
    public byte[] CheckAssociatedData()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(4);
        writer.WriteByteString(CheckLabel);
        writer.WriteInt32(Version);
        WriteSettings(writer);
        writer.WriteByteString(Salt);
        writer.WriteEndArray();
        return writer.Encode();
    }

    public static PassphraseDescriptor Decode(ReadOnlyMemory<byte> encoded) =>
        CanonicalCbor.Decode(encoded, MaxEncodedSize, Read);

    private void WriteSettings(CborWriter writer)
    {
        writer.WriteStartArray(3);
        writer.WriteInt32(Settings.MemoryKiB);
        writer.WriteInt32(Settings.Iterations);
        writer.WriteInt32(Settings.Parallelism);
        writer.WriteEndArray();
    }

    private static PassphraseDescriptor Read(CborReader reader)
    {
        CanonicalCbor.ReadArrayStart(reader, 4);
        var version = CanonicalCbor.ReadUInt(reader, int.MaxValue);
        if (version != Version)
            throw new MalformedInputException($"Passphrase descriptor version {version} is not supported.");

        CanonicalCbor.ReadArrayStart(reader, 3);
        var settings = new Argon2idSettings(
            (int)CanonicalCbor.ReadUInt(reader, int.MaxValue),
            (int)CanonicalCbor.ReadUInt(reader, int.MaxValue),
            (int)CanonicalCbor.ReadUInt(reader, int.MaxValue));
        reader.ReadEndArray();
        if (!settings.IsValid(out var reason))
            throw new MalformedInputException($"Passphrase descriptor has unusable costs: {reason}.");

        var salt = CanonicalCbor.ReadBytes(reader, SaltSize);
        if (salt.Length != SaltSize)
            throw new MalformedInputException($"Passphrase descriptor salt must be {SaltSize} bytes.");
        var check = CanonicalCbor.ReadBytes(reader, CheckSize);
        if (check.Length != CheckSize)
            throw new MalformedInputException($"Passphrase descriptor check value must be {CheckSize} bytes.");
        reader.ReadEndArray();
        return new PassphraseDescriptor(settings, salt, check);
    }
}
