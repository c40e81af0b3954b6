using System.Text;
using Enigm.Crypto.Algorithms;

namespace Enigm.Crypto.Hybrid;

/// <summary>
/// The per-algorithm constants of draft-ietf-lamps-pq-composite-sigs (followed at revision -19; its
/// test vectors are unchanged from -14 to -19), §6 "Algorithm Identifiers and Parameters": the ML-DSA
/// parameter set, the traditional component, the signature Label and the pre-hash PH.
/// Both composites Enigm uses pre-hash with SHA-512.
/// </summary>
internal sealed class CompositeSignatureParameters
{
    /// <summary>§2.2: the ASCII bytes of "CompositeAlgorithmSignatures2025".</summary>
    public static ReadOnlySpan<byte> Prefix => "CompositeAlgorithmSignatures2025"u8;

    /// <summary>§6: id-MLDSA65-Ed25519-SHA512 (OID 2.16.840.1.114027.80.9.1.11).</summary>
    public static readonly CompositeSignatureParameters MlDsa65Ed25519 = new(
        SignatureAlgorithm.MlDsa65Ed25519,
        SignatureAlgorithm.MlDsa65,
        CompositeTraditionalComponent.Ed25519,
        "COMPSIG-MLDSA65-Ed25519-SHA512");

    /// <summary>
    /// §6: id-MLDSA87-ECDSA-P384-SHA512 (OID 2.16.840.1.114027.80.9.1.12), ecdsa-with-SHA384 on secp384r1.
    /// The label is "COMPSIG-MLDSA87-ECDSA-P384-SHA512", the value the draft's own test vectors were
    /// generated with (both halves of their signatures verify only under it); a branch copy of the
    /// draft's src/algParams.md spells it "COMPSIG-MLDSA87-P384-SHA512", which does not verify them.
    /// </summary>
    public static readonly CompositeSignatureParameters MlDsa87EcdsaP384 = new(
        SignatureAlgorithm.MlDsa87EcdsaP384,
        SignatureAlgorithm.MlDsa87,
        CompositeTraditionalComponent.EcdsaP384,
        "COMPSIG-MLDSA87-ECDSA-P384-SHA512");

    private readonly byte[] _label;

    private CompositeSignatureParameters(SignatureAlgorithm algorithm, SignatureAlgorithm mlDsa, CompositeTraditionalComponent traditional, string label)
    {
        Algorithm = algorithm;
        MlDsa = mlDsa;
        Traditional = traditional;
        _label = System.Text.Encoding.ASCII.GetBytes(label);
    }

    public static IReadOnlyList<CompositeSignatureParameters> All { get; } = [MlDsa65Ed25519, MlDsa87EcdsaP384];

    public SignatureAlgorithm Algorithm { get; }

    public SignatureAlgorithm MlDsa { get; }

    public CompositeTraditionalComponent Traditional { get; }

    /// <summary>§2.2 Label; also the ML-DSA component's FIPS 204 context (§3.2 step 4).</summary>
    public ReadOnlySpan<byte> Label => _label;

    /// <summary>Size of the ML-DSA public key (§4.1 DeserializePublicKey).</summary>
    public int MlDsaPublicKeySize => MlDsa.PublicKeySize;

    /// <summary>Size of the ML-DSA signature (§4.3 DeserializeSignatureValue).</summary>
    public int MlDsaSignatureSize => MlDsa.MaxSignatureSize;

    /// <summary>§4.2: the ML-DSA private key is always the 32-byte seed.</summary>
    public int MlDsaSeedSize => MlDsa.PrivateKeySize;

    public static CompositeSignatureParameters For(SignatureAlgorithm algorithm) =>
        All.FirstOrDefault(p => p.Algorithm == algorithm)
        ?? throw new ArgumentException($"{algorithm.Name} is not a composite Enigm implements.", nameof(algorithm));
}
