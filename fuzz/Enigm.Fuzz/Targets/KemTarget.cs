using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// <see cref="IKem.Decapsulate"/> of fuzzed ciphertexts with a fixed private key. Input: byte 0 selects the
/// KEM (index into <see cref="KemAlgorithm.All"/>), the rest is the ciphertext, of any length. A
/// well-formed ciphertext gives a 32-byte secret (FIPS 203 implicit rejection for tampered ones), a
/// wrong-length one a typed error.
/// </summary>
internal static class KemTarget
{
    public static FuzzTarget Target { get; } = new(
        "kem-ciphertext",
        "IKem.Decapsulate of fuzzed ciphertexts (any length) with a fixed key: a 32-byte secret or a typed error.",
        static () => Fixtures.PrepareAll(KemAlgorithm.All, a => Fixtures.Kem(a)),
        Run,
        Seeds);

    private static void Run(ReadOnlySpan<byte> input)
    {
        var fields = new FuzzInput(input);
        var algorithm = fields.Select(KemAlgorithm.All);
        var (kem, key) = Fixtures.Kem(algorithm);
        var ciphertext = fields.Rest;
        using var secret = kem.Decapsulate(key, ciphertext);
        FuzzInvariantException.Check(
            ciphertext.Length == algorithm.CiphertextSize,
            $"{algorithm.Name} ({kem.Provider}) decapsulated a {ciphertext.Length}-byte ciphertext");
        FuzzInvariantException.Check(
            secret.Length == algorithm.SharedSecretSize,
            $"{algorithm.Name} ({kem.Provider}) returned a {secret.Length}-byte shared secret");
    }

    private static IEnumerable<FuzzSeed> Seeds()
    {
        for (var i = 0; i < KemAlgorithm.All.Count; i++)
        {
            var algorithm = KemAlgorithm.All[i];
            if (!Fixtures.IsAvailable(algorithm))
            {
                yield return new FuzzSeed($"{algorithm.Name}-pattern", [(byte)i, .. Fixtures.Pattern(algorithm.CiphertextSize, 14)]);
                continue;
            }

            var (kem, key) = Fixtures.Kem(algorithm);
            using var encapsulation = kem.Encapsulate(key.PublicKey);
            using var secret = kem.Decapsulate(key, encapsulation.Ciphertext);
            if (!secret.FixedTimeEquals(encapsulation.SharedSecret.Span))
                throw new FuzzInvariantException($"{algorithm.Name} ({kem.Provider}) decapsulates its own ciphertext to another secret");
            yield return new FuzzSeed($"{algorithm.Name}-valid", [(byte)i, .. encapsulation.Ciphertext]);
        }
    }
}
