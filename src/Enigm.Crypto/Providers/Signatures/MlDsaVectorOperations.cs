namespace Enigm.Crypto.Providers.Signatures;

/// <summary>Which FIPS 204 interface a known-answer case exercises.</summary>
internal enum MlDsaInterface
{
    /// <summary>FIPS 204 Algorithms 2/3, ML-DSA.Sign/Verify with a context string.</summary>
    Pure,

    /// <summary>FIPS 204 Algorithms 4/5, HashML-DSA with a context string and a named pre-hash.</summary>
    PreHash,

    /// <summary>FIPS 204 Algorithms 7/8 on a raw message M (μ = H(tr ‖ M)).</summary>
    InternalMessage,

    /// <summary>FIPS 204 Algorithms 7/8 with μ supplied by the caller (§6.2 external μ).</summary>
    ExternalMu,
}

/// <summary>
/// One ML-DSA input for the vector runners. <see cref="Data"/> is the message, or μ for
/// <see cref="MlDsaInterface.ExternalMu"/>; <see cref="HashAlgorithm"/> uses the ACVP spelling
/// (SHA2-512, SHA3-256, SHAKE-128...).
/// </summary>
internal sealed record MlDsaInput(MlDsaInterface Interface, byte[] Data, byte[] Context, string? HashAlgorithm = null);

/// <summary>
/// The parts of FIPS 204 beyond <see cref="Enigm.Crypto.Primitives.ISignatureScheme"/> that NIST ACVP
/// and Wycheproof exercise: key generation returning the expanded sk, signing from an expanded sk,
/// deterministic or hedged signing with a given rnd, HashML-DSA and the internal interface. A provider
/// answers <c>null</c> where its library cannot express a request, so the runner can count the case
/// as unsupported instead of approximating it.
/// </summary>
internal interface IMlDsaVectorOperations
{
    /// <summary>FIPS 204 Algorithm 6 ML-DSA.KeyGen_internal(ξ): the public key and the expanded private key.</summary>
    (byte[] PublicKey, byte[] ExpandedPrivateKey) GenerateFromSeed(ReadOnlySpan<byte> seed);

    /// <summary>
    /// Signs with an expanded private key. An empty <paramref name="rnd"/> means the deterministic
    /// variant (rnd = 0^32, FIPS 204 §3.4); otherwise the 32 bytes are used as rnd. Null when unsupported.
    /// </summary>
    byte[]? Sign(ReadOnlySpan<byte> expandedPrivateKey, MlDsaInput input, ReadOnlySpan<byte> rnd);

    /// <summary>Verifies; null when the provider cannot express the interface or pre-hash.</summary>
    bool? Verify(ReadOnlySpan<byte> publicKey, MlDsaInput input, ReadOnlySpan<byte> signature);
}
