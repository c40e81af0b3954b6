namespace Enigm.Crypto.Algorithms;

/// <summary>A key-encapsulation mechanism with its fixed sizes (bytes).</summary>
public sealed class KemAlgorithm : CryptoAlgorithm
{
    /// <summary>FIPS 203 ML-KEM-768 (security category 3).</summary>
    public static readonly KemAlgorithm MlKem768 = new("ML-KEM-768", 1184, 64, 2400, 1088);

    /// <summary>FIPS 203 ML-KEM-1024 (security category 5).</summary>
    public static readonly KemAlgorithm MlKem1024 = new("ML-KEM-1024", 1568, 64, 3168, 1568);

    /// <summary>X-Wing: ML-KEM-768 + X25519 with a SHA3-256 combiner (draft-connolly-cfrg-xwing-kem-06..10).</summary>
    public static readonly KemAlgorithm XWing = new("X-Wing", 1216, 32, 32, 1120);

    private KemAlgorithm(string name, int publicKeySize, int seedSize, int expandedPrivateKeySize, int ciphertextSize)
        : base(name)
    {
        PublicKeySize = publicKeySize;
        SeedSize = seedSize;
        ExpandedPrivateKeySize = expandedPrivateKeySize;
        CiphertextSize = ciphertextSize;
    }

    public static new IReadOnlyList<KemAlgorithm> All { get; } = [MlKem768, MlKem1024, XWing];

    public override AlgorithmKind Kind => AlgorithmKind.Kem;

    public int PublicKeySize { get; }

    /// <summary>Size of the key-generation seed, which is also the stored private-key form.</summary>
    public int SeedSize { get; }

    public int ExpandedPrivateKeySize { get; }

    public int CiphertextSize { get; }

    public int SharedSecretSize => 32;
}
