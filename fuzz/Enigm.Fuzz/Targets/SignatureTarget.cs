using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// <see cref="ISignatureScheme.Verify"/> of fuzzed signature bytes against a fixed key of the selected
/// scheme. Input: byte 0 selects the algorithm (index into <see cref="SignatureAlgorithm.All"/>), byte 1
/// selects the message and context, the rest is the signature, of any length. Verify must return false or
/// throw a typed error; returning true for a message or context the fixed key never signed is a forgery.
/// </summary>
internal static class SignatureTarget
{
    /// <summary>Contexts: none, a short one, the FIPS 204/205 maximum (255 bytes), one over it.</summary>
    private static readonly byte[][] Contexts =
    [
        [],
        "enigm-fuzz"u8.ToArray(),
        Fixtures.Pattern(255, 12),
        Fixtures.Pattern(256, 12),
    ];

    private static readonly byte[][] Messages = [Fixtures.Message, []];

    public static FuzzTarget Target { get; } = new(
        "signature",
        "ISignatureScheme.Verify of fuzzed signatures (any length, four contexts, two messages) against a fixed key; false or a typed error, never a forgery.",
        static () => Fixtures.PrepareAll(SignatureAlgorithm.All, a => SignedSeed(a)),
        Run,
        Seeds);

    private static void Run(ReadOnlySpan<byte> input)
    {
        var fields = new FuzzInput(input);
        var algorithm = fields.Select(SignatureAlgorithm.All);
        var selector = fields.Byte();
        var (scheme, key) = Fixtures.Signature(algorithm);
        var context = Contexts[selector & 0x3];
        var message = Messages[(selector >> 2) & 0x1];
        var signature = fields.Rest;

        if (!scheme.Verify(key.PublicKey, message, signature, context)) return;

        // Only (fixed message, empty context) was ever signed by the fixed key.
        FuzzInvariantException.Check(
            context.Length == 0 && message == Fixtures.Message,
            $"{algorithm.Name} ({scheme.Provider}) verified a signature over a message/context pair that was never signed");
        FuzzInvariantException.Check(
            signature.Length >= algorithm.MinSignatureSize && signature.Length <= algorithm.MaxSignatureSize,
            $"{algorithm.Name} ({scheme.Provider}) verified a {signature.Length}-byte signature");
    }

    /// <summary>A genuine signature over the fixed message; also checks that it verifies (harness sanity).</summary>
    private static byte[] SignedSeed(SignatureAlgorithm algorithm) =>
        (byte[])Fixtures.Cached(("signature-seed", algorithm), () =>
        {
            var (scheme, key) = Fixtures.Signature(algorithm);
            var signature = scheme.Sign(key, Fixtures.Message);
            if (!scheme.Verify(key.PublicKey, Fixtures.Message, signature))
                throw new FuzzInvariantException($"{algorithm.Name} ({scheme.Provider}) does not verify its own signature");
            return signature;
        });

    private static IEnumerable<FuzzSeed> Seeds()
    {
        for (var i = 0; i < SignatureAlgorithm.All.Count; i++)
        {
            var algorithm = SignatureAlgorithm.All[i];
            if (Fixtures.IsAvailable(algorithm))
            {
                var signature = SignedSeed(algorithm);
                yield return new FuzzSeed($"{algorithm.Name}-valid", [(byte)i, 0, .. signature]);
                yield return new FuzzSeed($"{algorithm.Name}-valid-with-context", [(byte)i, 1, .. signature]);
            }
            else
            {
                yield return new FuzzSeed($"{algorithm.Name}-pattern", [(byte)i, 0, .. Fixtures.Pattern(algorithm.MinSignatureSize, 13)]);
            }
        }
    }
}
