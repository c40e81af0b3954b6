namespace Enigm.Crypto.Algorithms;

/// <summary>A Diffie-Hellman function.</summary>
public sealed class KeyAgreementAlgorithm : CryptoAlgorithm
{
    /// <summary>RFC 7748 X25519.</summary>
    public static readonly KeyAgreementAlgorithm X25519 = new("X25519", 32, 32, 32);

    private KeyAgreementAlgorithm(string name, int publicKeySize, int privateKeySize, int sharedSecretSize)
        : base(name)
    {
        PublicKeySize = publicKeySize;
        PrivateKeySize = privateKeySize;
        SharedSecretSize = sharedSecretSize;
    }

    public static new IReadOnlyList<KeyAgreementAlgorithm> All { get; } = [X25519];

    public override AlgorithmKind Kind => AlgorithmKind.KeyAgreement;

    public int PublicKeySize { get; }

    public int PrivateKeySize { get; }

    public int SharedSecretSize { get; }
}
