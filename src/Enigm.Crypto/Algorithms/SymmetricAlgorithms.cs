namespace Enigm.Crypto.Algorithms;

/// <summary>An AEAD with a 256-bit key, 96-bit nonce and 128-bit tag.</summary>
public sealed class AeadAlgorithm : CryptoAlgorithm
{
    /// <summary>NIST SP 800-38D AES-256-GCM.</summary>
    public static readonly AeadAlgorithm Aes256Gcm = new("AES-256-GCM");

    /// <summary>RFC 8439 ChaCha20-Poly1305.</summary>
    public static readonly AeadAlgorithm ChaCha20Poly1305 = new("ChaCha20-Poly1305");

    private AeadAlgorithm(string name) : base(name) { }

    public static new IReadOnlyList<AeadAlgorithm> All { get; } = [Aes256Gcm, ChaCha20Poly1305];

    public override AlgorithmKind Kind => AlgorithmKind.Aead;

    public int KeySize => 32;

    public int NonceSize => 12;

    public int TagSize => 16;
}

/// <summary>RFC 5869 HKDF over a hash.</summary>
public sealed class KdfAlgorithm : CryptoAlgorithm
{
    public static readonly KdfAlgorithm HkdfSha256 = new("HKDF-SHA-256", 32);

    public static readonly KdfAlgorithm HkdfSha512 = new("HKDF-SHA-512", 64);

    private KdfAlgorithm(string name, int hashSize) : base(name) => HashSize = hashSize;

    public static new IReadOnlyList<KdfAlgorithm> All { get; } = [HkdfSha256, HkdfSha512];

    public override AlgorithmKind Kind => AlgorithmKind.Kdf;

    public int HashSize { get; }

    /// <summary>RFC 5869 2.3: L ≤ 255·HashLen.</summary>
    public int MaxOutputSize => 255 * HashSize;
}

/// <summary>A cryptographic hash function.</summary>
public sealed class HashAlgorithm : CryptoAlgorithm
{
    public static readonly HashAlgorithm Sha256 = new("SHA-256", 32);

    public static readonly HashAlgorithm Sha512 = new("SHA-512", 64);

    public static readonly HashAlgorithm Sha3_256 = new("SHA3-256", 32);

    private HashAlgorithm(string name, int size) : base(name) => Size = size;

    public static new IReadOnlyList<HashAlgorithm> All { get; } = [Sha256, Sha512, Sha3_256];

    public override AlgorithmKind Kind => AlgorithmKind.Hash;

    public int Size { get; }
}

/// <summary>RFC 5649 AES key wrap with padding, 256-bit key-encryption key.</summary>
public sealed class KeyWrapAlgorithm : CryptoAlgorithm
{
    public static readonly KeyWrapAlgorithm AesKwp256 = new("AES-256-KWP");

    private KeyWrapAlgorithm(string name) : base(name) { }

    public static new IReadOnlyList<KeyWrapAlgorithm> All { get; } = [AesKwp256];

    public override AlgorithmKind Kind => AlgorithmKind.KeyWrap;
}

/// <summary>RFC 2104 HMAC over a hash; the tag is the full hash output.</summary>
public sealed class MacAlgorithm : CryptoAlgorithm
{
    /// <summary>RFC 2104 with FIPS 180-4 SHA-256 (test cases: RFC 4231).</summary>
    public static readonly MacAlgorithm HmacSha256 = new("HMAC-SHA-256", 32);

    private MacAlgorithm(string name, int tagSize) : base(name) => TagSize = tagSize;

    public static new IReadOnlyList<MacAlgorithm> All { get; } = [HmacSha256];

    public override AlgorithmKind Kind => AlgorithmKind.Mac;

    public int TagSize { get; }
}
