using Enigm.Crypto.Algorithms;

namespace Enigm.Crypto.Providers.Signatures;

/// <summary>FIPS 204 Table 2 sizes for the ML-DSA parameter sets Enigm implements.</summary>
internal sealed record MlDsaParameterSet(SignatureAlgorithm Algorithm, string Name, int PublicKeySize, int ExpandedPrivateKeySize, int SignatureSize)
{
    public const int SeedSize = 32;

    /// <summary>tr = H(pk, 64) is stored at sk[64..128] (FIPS 204 Algorithm 24 skEncode: ρ ‖ K ‖ tr ‖ ...).</summary>
    public const int TrOffset = 64;

    public const int TrSize = 64;

    public static readonly MlDsaParameterSet MlDsa65 = new(SignatureAlgorithm.MlDsa65, "ML-DSA-65", 1952, 4032, 3309);

    public static readonly MlDsaParameterSet MlDsa87 = new(SignatureAlgorithm.MlDsa87, "ML-DSA-87", 2592, 4896, 4627);

    public static MlDsaParameterSet For(SignatureAlgorithm algorithm) =>
        algorithm == SignatureAlgorithm.MlDsa65 ? MlDsa65
        : algorithm == SignatureAlgorithm.MlDsa87 ? MlDsa87
        : throw new ArgumentException($"{algorithm.Name} is not an ML-DSA parameter set.", nameof(algorithm));
}
