using Enigm.Crypto.Secrets;

namespace Enigm.Crypto.KnownAnswers;

/// <summary>
/// The FIPS 205 internal functions that ACVP tests (keyGen from explicit seeds, sigVer on the internal
/// interface), for providers whose library exposes them. Known-answer runs only: applications use the
/// pure, context-bound <see cref="Primitives.ISignatureScheme"/> API.
/// </summary>
internal interface ISlhDsaInternalInterface
{
    /// <summary>FIPS 205 Algorithm 18, slh_keygen_internal(SK.seed, SK.prf, PK.seed).</summary>
    PrivateKey GenerateKeyFromSeeds(ReadOnlySpan<byte> skSeed, ReadOnlySpan<byte> skPrf, ReadOnlySpan<byte> pkSeed);

    /// <summary>
    /// FIPS 205 Algorithm 20, slh_verify_internal(M, SIG, PK). False for any failure, wrong length included;
    /// null when the library does not expose the internal interface in this build.
    /// </summary>
    bool? VerifyInternal(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature);
}
