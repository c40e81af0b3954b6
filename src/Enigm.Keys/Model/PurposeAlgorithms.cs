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
    /// policy refuses (<see cref="SuitePolicy.Accepts"/>: refused by name, or a composite both of whose
    /// halves are refused) throws <see cref="SuiteRefusedException"/> naming it.
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

        // A key is relied on alone: it is refused exactly when the policy refuses its algorithm.
        return policy.Require(suite.Id, algorithm);
    }

    /// <summary>
    /// The suite for a key of <paramref name="purpose"/> made with the preferred suite's own algorithm
    /// (<see cref="For"/>), checked against <paramref name="policy"/> like <see cref="RequireChoice"/>.
    /// Prekeys are the exception: the X25519 and ML-KEM-1024 prekeys are the two halves of the suite's
    /// hybrid session setup (DESIGN.md), a composite in all but name: it holds while either half holds,
    /// and a session needs both kinds of prekey to run, so a prekey is refused only when the policy
    /// refuses both halves.
    /// </summary>
    public static Suite RequireDefault(KeyPurpose purpose, SuitePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var suite = policy.Preferred;
        return RequireKey(purpose, suite, For(purpose, suite), policy);
    }

    /// <summary>
    /// Checks that a successor of a key of <paramref name="purpose"/>, suite <paramref name="suiteId"/> and
    /// <paramref name="algorithm"/> may be generated under <paramref name="policy"/> (docs/keys.md, "Rotation
    /// under a suite policy"). A rotation keeps the series' algorithm and suite, so it is checked like a new
    /// key of that algorithm: a refused suite or algorithm throws <see cref="SuiteRefusedException"/> naming
    /// it, and nothing is generated. Moving to another algorithm is a new key (<c>Generate</c>), not a rotation.
    /// </summary>
    public static Suite RequireSuccessor(KeyPurpose purpose, ushort suiteId, CryptoAlgorithm algorithm, SuitePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentNullException.ThrowIfNull(policy);
        return RequireKey(purpose, SuiteRegistry.Get(suiteId), algorithm, policy);
    }

    private static Suite RequireKey(KeyPurpose purpose, Suite suite, CryptoAlgorithm algorithm, SuitePolicy policy)
    {
        var sessionHalf = purpose is KeyPurpose.SignedPrekey or KeyPurpose.OneTimePrekey or KeyPurpose.KemPrekey;
        return sessionHalf && (policy.Accepts(suite.SessionKeyAgreement) || policy.Accepts(suite.SessionKem))
            ? policy.Require(suite.Id)
            : policy.Require(suite.Id, algorithm);
    }
}
