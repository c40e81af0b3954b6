using System.Security.Cryptography;
using Enigm.Messaging.Errors;

namespace Enigm.Messaging.Calls.SFrame;

/// <summary>
/// An SFrame cipher suite (RFC 9605 §4.5, Table 1; identifiers from the IANA registry of §8.1): the hash
/// HKDF uses (§4.4.2) and the AEAD that protects frames. Suites are values to compare and refuse by policy, as
/// Enigm's other algorithms are; <see cref="Default"/> is AES_256_GCM_SHA512_128.
/// </summary>
public sealed class SFrameCipherSuite
{
    private SFrameCipherSuite(ushort id, string name, HashAlgorithmName hash, int hashSize, int aesKeySize, int keySize, int tagSize, bool registered)
    {
        Id = id;
        Name = name;
        Hash = hash;
        HashSize = hashSize;
        AesKeySize = aesKeySize;
        KeySize = keySize;
        TagSize = tagSize;
        IsRegistered = registered;
    }

    public static SFrameCipherSuite Aes128CtrHmacSha256_80 { get; } = new(1, "AES_128_CTR_HMAC_SHA256_80", HashAlgorithmName.SHA256, 32, 16, 48, 10, true);

    public static SFrameCipherSuite Aes128CtrHmacSha256_64 { get; } = new(2, "AES_128_CTR_HMAC_SHA256_64", HashAlgorithmName.SHA256, 32, 16, 48, 8, true);

    public static SFrameCipherSuite Aes128CtrHmacSha256_32 { get; } = new(3, "AES_128_CTR_HMAC_SHA256_32", HashAlgorithmName.SHA256, 32, 16, 48, 4, true);

    public static SFrameCipherSuite Aes128GcmSha256_128 { get; } = new(4, "AES_128_GCM_SHA256_128", HashAlgorithmName.SHA256, 32, 16, 16, 16, true);

    public static SFrameCipherSuite Aes256GcmSha512_128 { get; } = new(5, "AES_256_GCM_SHA512_128", HashAlgorithmName.SHA512, 64, 32, 32, 16, true);

    // The AES-256 variants of §4.5.1 that the sframe-wg test vectors carry (ids 6–8, added upstream after RFC 9605
    // and not in its registry). They exist so that every upstream vector can be checked; FromId refuses them.
    internal static SFrameCipherSuite Aes256CtrHmacSha512_80 { get; } = new(6, "AES_256_CTR_HMAC_SHA512_80", HashAlgorithmName.SHA512, 64, 32, 96, 10, false);

    internal static SFrameCipherSuite Aes256CtrHmacSha512_64 { get; } = new(7, "AES_256_CTR_HMAC_SHA512_64", HashAlgorithmName.SHA512, 64, 32, 96, 8, false);

    internal static SFrameCipherSuite Aes256CtrHmacSha512_32 { get; } = new(8, "AES_256_CTR_HMAC_SHA512_32", HashAlgorithmName.SHA512, 64, 32, 96, 4, false);

    /// <summary>The suite Enigm calls use unless the offer names another (issue 15: AES_256_GCM_SHA512_128).</summary>
    public static SFrameCipherSuite Default => Aes256GcmSha512_128;

    /// <summary>The five suites RFC 9605 registers, in registry order.</summary>
    public static IReadOnlyList<SFrameCipherSuite> All { get; } =
        [Aes128CtrHmacSha256_80, Aes128CtrHmacSha256_64, Aes128CtrHmacSha256_32, Aes128GcmSha256_128, Aes256GcmSha512_128];

    /// <summary>The 2-byte identifier of the IANA "SFrame Cipher Suites" registry (§8.1).</summary>
    public ushort Id { get; }

    public string Name { get; }

    /// <summary>The hash HKDF uses (§4.4.2) and, for the CTR suites, HMAC (§4.5.1).</summary>
    public HashAlgorithmName Hash { get; }

    /// <summary>Nh: the hash output size.</summary>
    public int HashSize { get; }

    /// <summary>The AES key size: Nka for the CTR suites (§4.5.1), Nk for the GCM suites.</summary>
    public int AesKeySize { get; }

    /// <summary>Nk: the AEAD key size (for the CTR suites Nka + Nh: encryption then authentication subkey).</summary>
    public int KeySize { get; }

    /// <summary>Nn: the nonce size, 12 bytes for every suite.</summary>
    public int NonceSize => 12;

    /// <summary>Nt: the tag size (truncated HMAC for the CTR suites).</summary>
    public int TagSize { get; }

    /// <summary>True for the GCM suites, false for the AES-CTR + HMAC construction of §4.5.1.</summary>
    public bool IsGcm => KeySize == AesKeySize;

    /// <summary>True for the five suites of RFC 9605's registry.</summary>
    public bool IsRegistered { get; }

    /// <summary>The registered suite with this identifier; an unregistered one is refused.</summary>
    public static SFrameCipherSuite FromId(ushort id) =>
        All.FirstOrDefault(s => s.Id == id)
        ?? throw new CallSetupException($"SFrame cipher suite {id} is not one of RFC 9605's registered suites (1–5).");

    public override string ToString() => Name;
}
