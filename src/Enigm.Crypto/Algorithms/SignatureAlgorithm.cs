namespace Enigm.Crypto.Algorithms;

/// <summary>A signature scheme with its sizes (bytes). Variable-size signatures give a maximum.</summary>
public sealed class SignatureAlgorithm : CryptoAlgorithm
{
    /// <summary>RFC 8032 Ed25519 (pure).</summary>
    public static readonly SignatureAlgorithm Ed25519 = new("Ed25519", 32, 32, 64, 64);

    /// <summary>ECDSA over P-384 with SHA-384; public key SEC1 uncompressed, signature IEEE P1363 r‖s.</summary>
    public static readonly SignatureAlgorithm EcdsaP384 = new("ECDSA-P384-SHA384", 97, 48, 96, 96);

    /// <summary>FIPS 204 ML-DSA-65 (pure, with context).</summary>
    public static readonly SignatureAlgorithm MlDsa65 = new("ML-DSA-65", 1952, 32, 3309, 3309);

    /// <summary>FIPS 204 ML-DSA-87 (pure, with context).</summary>
    public static readonly SignatureAlgorithm MlDsa87 = new("ML-DSA-87", 2592, 32, 4627, 4627);

    /// <summary>FIPS 205 SLH-DSA-SHA2-128s (pure, with context). Private key is the 4n-byte sk.</summary>
    public static readonly SignatureAlgorithm SlhDsaSha2_128s = new("SLH-DSA-SHA2-128s", 32, 64, 7856, 7856);

    /// <summary>FIPS 205 SLH-DSA-SHA2-256s (pure, with context). Private key is the 4n-byte sk.</summary>
    public static readonly SignatureAlgorithm SlhDsaSha2_256s = new("SLH-DSA-SHA2-256s", 64, 128, 29792, 29792);

    /// <summary>
    /// draft-ietf-lamps-pq-composite-sigs id-MLDSA65-Ed25519-SHA512: ML-DSA-65 ‖ Ed25519, both must verify.
    /// Device and account keys.
    /// </summary>
    public static readonly SignatureAlgorithm MlDsa65Ed25519 =
        new("id-MLDSA65-Ed25519-SHA512", 1952 + 32, 32 + 32, 3309 + 64, 3309 + 64);

    /// <summary>
    /// draft-ietf-lamps-pq-composite-sigs id-MLDSA87-ECDSA-P384-SHA512: ML-DSA-87 ‖ ECDSA P-384 (DER
    /// signature, so variable length). Private key: ML-DSA seed ‖ RFC 5915 ECPrivateKey DER (64 bytes). Release and manifest keys.
    /// </summary>
    public static readonly SignatureAlgorithm MlDsa87EcdsaP384 =
        new("id-MLDSA87-ECDSA-P384-SHA512", 2592 + 97, 32 + 64, 4627 + 8, 4627 + 104);

    private SignatureAlgorithm(string name, int publicKeySize, int privateKeySize, int minSignatureSize, int maxSignatureSize)
        : base(name)
    {
        PublicKeySize = publicKeySize;
        PrivateKeySize = privateKeySize;
        MinSignatureSize = minSignatureSize;
        MaxSignatureSize = maxSignatureSize;
    }

    public static new IReadOnlyList<SignatureAlgorithm> All { get; } =
        [Ed25519, EcdsaP384, MlDsa65, MlDsa87, SlhDsaSha2_128s, SlhDsaSha2_256s, MlDsa65Ed25519, MlDsa87EcdsaP384];

    public override AlgorithmKind Kind => AlgorithmKind.Signature;

    public int PublicKeySize { get; }

    /// <summary>Size of the stored private form (seed where the standard defines one).</summary>
    public int PrivateKeySize { get; }

    public int MinSignatureSize { get; }

    public int MaxSignatureSize { get; }

    /// <summary>True for the LAMPS composite schemes.</summary>
    public bool IsComposite => Name.StartsWith("id-MLDSA", StringComparison.Ordinal);
}
