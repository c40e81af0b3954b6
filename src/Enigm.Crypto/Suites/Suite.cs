using Enigm.Crypto.Algorithms;

namespace Enigm.Crypto.Suites;

/// <summary>
/// An algorithm suite: the fixed set of algorithms an artefact was made with. Every persisted or
/// transmitted Enigm object names its suite in its <see cref="Encoding.FormatHeader"/>, so suites can be
/// added, preferred, deprecated and refused by policy without a flag day (DESIGN.md, "Algorithm suites").
/// </summary>
public sealed record Suite(
    ushort Id,
    string Name,
    KeyAgreementAlgorithm SessionKeyAgreement,
    KemAlgorithm SessionKem,
    KemAlgorithm HybridKem,
    KemAlgorithm RatchetKem,
    SignatureAlgorithm DeviceSignature,
    SignatureAlgorithm ReleaseSignature,
    SignatureAlgorithm RootSignature,
    AeadAlgorithm Aead,
    KdfAlgorithm Kdf,
    KdfAlgorithm RatchetKdf,
    HashAlgorithm Hash,
    HashAlgorithm LongHash)
{
    /// <summary>Every algorithm the suite uses, without duplicates.</summary>
    public IReadOnlyList<CryptoAlgorithm> Algorithms =>
    [
        .. new CryptoAlgorithm[]
        {
            SessionKeyAgreement, SessionKem, HybridKem, RatchetKem, DeviceSignature, ReleaseSignature,
            RootSignature, Aead, Kdf, RatchetKdf, Hash, LongHash,
        }.Distinct(),
    ];

    /// <summary>True when <paramref name="algorithm"/> is used by this suite, directly or as a part of a hybrid.</summary>
    public bool Uses(CryptoAlgorithm algorithm) =>
        Algorithms.Contains(algorithm) || Algorithms.SelectMany(ComponentsOf).Contains(algorithm);

    /// <summary>The classical and post-quantum parts of a hybrid algorithm (empty for a plain one).</summary>
    public static IReadOnlyList<CryptoAlgorithm> ComponentsOf(CryptoAlgorithm algorithm)
    {
        if (algorithm == SignatureAlgorithm.MlDsa65Ed25519) return [SignatureAlgorithm.MlDsa65, SignatureAlgorithm.Ed25519];
        if (algorithm == SignatureAlgorithm.MlDsa87EcdsaP384) return [SignatureAlgorithm.MlDsa87, SignatureAlgorithm.EcdsaP384];
        if (algorithm == KemAlgorithm.XWing) return [KemAlgorithm.MlKem768, KeyAgreementAlgorithm.X25519];
        return [];
    }

    public override string ToString() => $"suite {Id} ({Name})";
}
