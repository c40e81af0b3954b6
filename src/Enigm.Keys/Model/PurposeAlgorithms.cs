using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;

namespace Enigm.Keys.Model;

/// <summary>
/// The algorithm a suite assigns to each key purpose (DESIGN.md, suite table), and the signature
/// algorithms an operator may choose instead for the purposes where a choice makes sense.
/// </summary>
public static class PurposeAlgorithms
{
    public static CryptoAlgorithm For(KeyPurpose purpose, Suite suite) => purpose switch
    {
        KeyPurpose.MessagingIdentity => suite.DeviceSignature,
        KeyPurpose.DeviceSigning => suite.DeviceSignature,
        KeyPurpose.Recovery => suite.DeviceSignature,
        // The store's own key: signs audit checkpoints.
        KeyPurpose.Storage => suite.DeviceSignature,
        KeyPurpose.SignedPrekey => suite.SessionKeyAgreement,
        KeyPurpose.OneTimePrekey => suite.SessionKeyAgreement,
        KeyPurpose.KemPrekey => suite.SessionKem,
        KeyPurpose.ReleaseSigning => suite.ReleaseSignature,
        KeyPurpose.ManifestSigning => suite.ReleaseSignature,
        KeyPurpose.Root => suite.RootSignature,
        _ => throw new ArgumentOutOfRangeException(nameof(purpose)),
    };

    /// <summary>
    /// The signature algorithms a key of <paramref name="purpose"/> may be generated with, the suite's
    /// own first. Root, release and manifest keys sign TUF metadata, where every key carries its own
    /// key type and verifiers check each signature with that type (TUF 1.0 section 4.2), so the choice
    /// does not have to follow the suite: Ed25519 for repositories read by classical TUF clients,
    /// pure ML-DSA-87 and SLH-DSA-SHA2-256s (hash-based, for long-lived root keys) and the release
    /// composite id-MLDSA87-ECDSA-P384-SHA512 are all at the strength DESIGN.md asks of these keys, or
    /// are the documented interop exception. The device composite (ML-DSA-65) is not offered: it is
    /// below that strength and no TUF key type names it. Every other purpose is fixed by its protocol
    /// (peers expect the suite's algorithm), so it has exactly one choice; KEM and key-agreement
    /// purposes have none.
    /// </summary>
    public static IReadOnlyList<SignatureAlgorithm> Choices(KeyPurpose purpose, Suite suite) => purpose switch
    {
        KeyPurpose.Root or KeyPurpose.ReleaseSigning or KeyPurpose.ManifestSigning =>
        [
            .. new[]
            {
                (SignatureAlgorithm)For(purpose, suite),
                SignatureAlgorithm.Ed25519,
                SignatureAlgorithm.MlDsa87,
                SignatureAlgorithm.SlhDsaSha2_256s,
                SignatureAlgorithm.MlDsa87EcdsaP384,
            }.Distinct(),
        ],
        _ => For(purpose, suite) is SignatureAlgorithm own ? [own] : [],
    };

    /// <summary>
    /// Checks that <paramref name="algorithm"/> may be chosen for <paramref name="purpose"/> under
    /// <paramref name="policy"/> and returns the suite to record with the key (the preferred one).
    /// A purpose without that choice throws <see cref="AlgorithmUnavailableException"/>; an algorithm the
    /// policy refuses throws <see cref="SuiteRefusedException"/>.
    /// </summary>
    public static Suite RequireChoice(KeyPurpose purpose, SignatureAlgorithm algorithm, SuitePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentNullException.ThrowIfNull(policy);
        var suite = policy.Preferred;
        var choices = Choices(purpose, suite);
        if (!choices.Contains(algorithm))
        {
            var allowed = choices.Count == 0 ? "no signature algorithm" : string.Join(", ", choices.Select(c => c.Name));
            throw new AlgorithmUnavailableException(
                $"{algorithm.Name} may not be chosen for {purpose.ToName()} keys (allowed: {allowed}).");
        }

        // A policy refuses an algorithm by refusing every suite that uses it (SuitePolicy.RefuseAlgorithm),
        // so the algorithm is acceptable only while some suite that uses it, directly or as half of a
        // composite, is still accepted.
        var users = SuiteRegistry.All.Where(s => s.Uses(algorithm)).ToList();
        if (!users.Any(s => policy.StatusOf(s.Id) != SuiteStatus.Refused))
        {
            var refused = users.FirstOrDefault() ?? suite;
            throw new SuiteRefusedException(refused.Id, $"{refused.Name}, which {algorithm.Name} keys need");
        }

        return suite;
    }
}
