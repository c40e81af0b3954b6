using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Enigm.Messaging.Calls.SFrame;

/// <summary>
/// RFC 9605 §4.4.2, derive_key_salt: the key and salt one KID encrypts with, from its base key.
/// <code>
/// sframe_secret = HKDF-Extract("", base_key)
/// sframe_key    = HKDF-Expand(sframe_secret, "SFrame 1.0 Secret key "  + KID + cipher_suite, AEAD.Nk)
/// sframe_salt   = HKDF-Expand(sframe_secret, "SFrame 1.0 Secret salt " + KID + cipher_suite, AEAD.Nn)
/// </code>
/// KID is an 8-byte and cipher_suite a 2-byte big-endian integer; the hash is the suite's (BCL HKDF).
/// </summary>
internal static class SFrameKeyDerivation
{
    private static ReadOnlySpan<byte> KeyLabelPrefix => "SFrame 1.0 Secret key "u8;

    private static ReadOnlySpan<byte> SaltLabelPrefix => "SFrame 1.0 Secret salt "u8;

    /// <summary>Writes sframe_key (Nk bytes) and sframe_salt (Nn bytes).</summary>
    public static void Derive(SFrameCipherSuite suite, ulong kid, ReadOnlySpan<byte> baseKey, Span<byte> key, Span<byte> salt)
    {
        if (key.Length != suite.KeySize || salt.Length != suite.NonceSize)
            throw new ArgumentException("Key or salt buffer has the wrong size for the suite.");

        Span<byte> secret = stackalloc byte[64];
        secret = secret[..suite.HashSize];
        Span<byte> label = stackalloc byte[SaltLabelPrefix.Length + 10];
        try
        {
            HKDF.Extract(suite.Hash, baseKey, ReadOnlySpan<byte>.Empty, secret);
            HKDF.Expand(suite.Hash, secret, key, Label(KeyLabelPrefix, kid, suite, label));
            HKDF.Expand(suite.Hash, secret, salt, Label(SaltLabelPrefix, kid, suite, label));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>The label "SFrame 1.0 Secret key|salt " + encode_big_endian(KID, 8) + encode_big_endian(suite, 2).</summary>
    public static byte[] KeyLabel(SFrameCipherSuite suite, ulong kid) => Label(KeyLabelPrefix, kid, suite, new byte[KeyLabelPrefix.Length + 10]).ToArray();

    public static byte[] SaltLabel(SFrameCipherSuite suite, ulong kid) => Label(SaltLabelPrefix, kid, suite, new byte[SaltLabelPrefix.Length + 10]).ToArray();

    private static ReadOnlySpan<byte> Label(ReadOnlySpan<byte> prefix, ulong kid, SFrameCipherSuite suite, Span<byte> buffer)
    {
        prefix.CopyTo(buffer);
        BinaryPrimitives.WriteUInt64BigEndian(buffer[prefix.Length..], kid);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[(prefix.Length + 8)..], suite.Id);
        return buffer[..(prefix.Length + 10)];
    }
}
