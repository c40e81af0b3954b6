using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// The symmetric decoders of untrusted bytes: AEAD decryption and RFC 5649 key unwrap under fixed keys.
/// Both constructions are deterministic, so an accepted input must re-encrypt (re-wrap) to itself.
/// </summary>
internal static class SymmetricTargets
{
    private const int TagSize = 16;

    public static FuzzTarget Aead { get; } = new(
        "aead",
        "IAead.Decrypt under a fixed key: byte 0 algorithm, byte 1 nonce length, nonce, byte n associated-data length, data, ciphertext‖tag. Typed error or a plaintext that re-encrypts to the input.",
        static () => Fixtures.PrepareAll(AeadAlgorithm.All, a => Fixtures.Aead(a)),
        RunAead,
        AeadSeeds);

    public static FuzzTarget KeyUnwrap { get; } = new(
        "key-unwrap",
        "IKeyWrap.Unwrap under a fixed key-encryption key: byte 0 algorithm, rest the wrapped key. Typed error or a key that re-wraps to the input.",
        static () => Fixtures.PrepareAll(KeyWrapAlgorithm.All, a => Fixtures.KeyWrap(a)),
        RunKeyUnwrap,
        KeyUnwrapSeeds);

    private static void RunAead(ReadOnlySpan<byte> input)
    {
        var fields = new FuzzInput(input);
        var algorithm = fields.Select(AeadAlgorithm.All);
        var nonce = fields.Bytes(fields.Byte() % 32);
        var associatedData = fields.Bytes(fields.Byte() % 64);
        var ciphertext = fields.Rest;
        var (aead, key) = Fixtures.Aead(algorithm);

        var plaintext = new byte[Math.Max(0, ciphertext.Length - TagSize)];
        aead.Decrypt(key, nonce, ciphertext, associatedData, plaintext);

        FuzzInvariantException.Check(nonce.Length == algorithm.NonceSize, $"{algorithm.Name} ({aead.Provider}) accepted a {nonce.Length}-byte nonce");
        var again = new byte[plaintext.Length + TagSize];
        aead.Encrypt(key, nonce, plaintext, associatedData, again);
        FuzzInvariantException.Check(again.AsSpan().SequenceEqual(ciphertext), $"{algorithm.Name} ({aead.Provider}) decrypted input does not re-encrypt to it");
    }

    private static void RunKeyUnwrap(ReadOnlySpan<byte> input)
    {
        var fields = new FuzzInput(input);
        var algorithm = fields.Select(KeyWrapAlgorithm.All);
        var wrapped = fields.Rest;
        var (wrap, kek) = Fixtures.KeyWrap(algorithm);
        var key = wrap.Unwrap(kek, wrapped);
        FuzzInvariantException.Check(
            wrap.Wrap(kek, key).AsSpan().SequenceEqual(wrapped),
            $"{algorithm.Name} ({wrap.Provider}) unwrapped key does not re-wrap to the input");
    }

    private static IEnumerable<FuzzSeed> AeadSeeds()
    {
        byte[] associatedData = [.. "enigm"u8];
        for (var i = 0; i < AeadAlgorithm.All.Count; i++)
        {
            var algorithm = AeadAlgorithm.All[i];
            var nonce = Fixtures.Pattern(algorithm.NonceSize, 17);
            foreach (var length in new[] { 0, 1, 37 })
            {
                var plaintext = Fixtures.Pattern(length, 18);
                var ciphertext = new byte[length + TagSize];
                var kind = "pattern";
                if (Fixtures.IsAvailable(algorithm))
                {
                    var (aead, key) = Fixtures.Aead(algorithm);
                    aead.Encrypt(key, nonce, plaintext, associatedData, ciphertext);
                    kind = "valid";
                }
                else
                {
                    plaintext.CopyTo(ciphertext, 0);
                }

                yield return new FuzzSeed(
                    $"{algorithm.Name}-{kind}-{length}",
                    [(byte)i, (byte)nonce.Length, .. nonce, (byte)associatedData.Length, .. associatedData, .. ciphertext]);
            }
        }
    }

    private static IEnumerable<FuzzSeed> KeyUnwrapSeeds()
    {
        for (var i = 0; i < KeyWrapAlgorithm.All.Count; i++)
        {
            var algorithm = KeyWrapAlgorithm.All[i];
            foreach (var length in new[] { 1, 8, 32, 33 })
            {
                if (Fixtures.IsAvailable(algorithm))
                {
                    var (wrap, kek) = Fixtures.KeyWrap(algorithm);
                    yield return new FuzzSeed($"{algorithm.Name}-valid-{length}", [(byte)i, .. wrap.Wrap(kek, Fixtures.Pattern(length, 19))]);
                }
                else
                {
                    // RFC 5649: the wrapped form is 8 bytes longer than the key padded to a multiple of 8.
                    yield return new FuzzSeed($"{algorithm.Name}-pattern-{length}", [(byte)i, .. Fixtures.Pattern(((length + 7) / 8 * 8) + 8, 19)]);
                }
            }
        }
    }
}
