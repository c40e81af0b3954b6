using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// <see cref="IKeyAgreement.Agree"/> with a fuzzed peer public key and a fixed private key. Input: byte 0
/// selects the algorithm (index into <see cref="KeyAgreementAlgorithm.All"/>), the rest is the peer key.
/// A wrong length or a low-order point (all-zero output, RFC 7748 6.1) must be a typed error.
/// </summary>
internal static class KeyAgreementTarget
{
    public static FuzzTarget Target { get; } = new(
        "key-agreement",
        "IKeyAgreement.Agree with a fuzzed peer public key (any length) and a fixed private key: a non-zero secret or a typed error.",
        static () =>
        {
            Fixtures.PrepareAll(KeyAgreementAlgorithm.All, a => Fixtures.KeyAgreement(a));
            Fixtures.PrepareAll(KeyAgreementAlgorithm.All, a => Fixtures.PeerKey(a));
        },
        Run,
        Seeds);

    private static void Run(ReadOnlySpan<byte> input)
    {
        var fields = new FuzzInput(input);
        var algorithm = fields.Select(KeyAgreementAlgorithm.All);
        var (agreement, key) = Fixtures.KeyAgreement(algorithm);
        var peer = fields.Rest;
        using var secret = agreement.Agree(key, peer);
        FuzzInvariantException.Check(
            peer.Length == algorithm.PublicKeySize,
            $"{algorithm.Name} ({agreement.Provider}) agreed with a {peer.Length}-byte peer key");
        FuzzInvariantException.Check(
            secret.Length == algorithm.SharedSecretSize,
            $"{algorithm.Name} ({agreement.Provider}) returned a {secret.Length}-byte secret");
        FuzzInvariantException.Check(
            secret.Span.ContainsAnyExcept((byte)0),
            $"{algorithm.Name} ({agreement.Provider}) returned the all-zero secret of a low-order point");
    }

    private static IEnumerable<FuzzSeed> Seeds()
    {
        for (var i = 0; i < KeyAgreementAlgorithm.All.Count; i++)
        {
            var algorithm = KeyAgreementAlgorithm.All[i];
            var (peer, real) = CryptoObjectTargets.SeedPublicKey(algorithm, 16);
            yield return new FuzzSeed($"{algorithm.Name}-{(real ? "valid" : "pattern")}", [(byte)i, .. peer]);

            // RFC 7748 6.1 / Wycheproof: u = 0 and u = 1 are low-order points and must be rejected.
            yield return new FuzzSeed($"{algorithm.Name}-zero", [(byte)i, .. new byte[algorithm.PublicKeySize]]);
            var one = new byte[algorithm.PublicKeySize];
            one[0] = 1;
            yield return new FuzzSeed($"{algorithm.Name}-one", [(byte)i, .. one]);
        }
    }
}
