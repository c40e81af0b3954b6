using System.Collections.Concurrent;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;

namespace Enigm.Fuzz;

/// <summary>
/// Fixed keys the targets decrypt, decapsulate and verify against, made once per algorithm through
/// <see cref="CryptoProviders.Default"/> (the registry a real caller uses). Keys come from fixed seeds
/// where the interface allows it, so seeds are reproducible. An algorithm no provider implements on this
/// platform (or in this build) throws <see cref="AlgorithmUnavailableException"/>, which the targets report
/// as a typed rejection: the harness skips it instead of failing.
/// </summary>
internal static class Fixtures
{
    /// <summary>The message every signature target verifies against.</summary>
    public static readonly byte[] Message = "Enigm fuzzing: fixed message"u8.ToArray();

    private static readonly ConcurrentDictionary<object, object> Cache = new();

    public static CryptoProviders Providers => CryptoProviders.Default;

    public static bool IsAvailable(CryptoAlgorithm algorithm) => Providers.Available(algorithm).Count > 0;

    /// <summary>Fixed bytes derived from a label: never secret, only reproducible.</summary>
    public static byte[] Pattern(int length, byte salt)
    {
        var bytes = new byte[length];
        for (var i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)((i * 31) + salt + 1);
        return bytes;
    }

    public static (IKem Kem, PrivateKey Key) Kem(KemAlgorithm algorithm) =>
        Get(algorithm, () =>
        {
            var kem = Providers.Kem(algorithm);
            return (kem, kem.DeriveKeyPair(Pattern(algorithm.SeedSize, 1)));
        });

    public static (ISignatureScheme Scheme, PrivateKey Key) Signature(SignatureAlgorithm algorithm) =>
        Get(algorithm, () =>
        {
            var scheme = Providers.Signature(algorithm);
            // SLH-DSA's stored form is the FIPS 205 sk, which carries PK.root: it is not a free seed, so
            // that scheme gets a fresh key. ECDSA needs a scalar below the group order: the leading 0x01
            // keeps the pattern in range.
            if (algorithm == SignatureAlgorithm.SlhDsaSha2_128s || algorithm == SignatureAlgorithm.SlhDsaSha2_256s)
                return (scheme, scheme.GenerateKey());
            var seed = Pattern(algorithm.PrivateKeySize, 2);
            seed[0] = 0x01;
            try
            {
                return (scheme, scheme.ImportPrivateKey(seed, PrivateKeyFormat.Seed));
            }
            catch (EnigmException)
            {
                // A stored form with inner structure (the composite ECDSA half is an ECPrivateKey DER) is
                // not a free pattern either: fall back to a fresh key.
                return (scheme, scheme.GenerateKey());
            }
        });

    public static (IKeyAgreement Agreement, PrivateKey Key) KeyAgreement(KeyAgreementAlgorithm algorithm) =>
        Get(algorithm, () =>
        {
            var agreement = Providers.KeyAgreement(algorithm);
            return (agreement, agreement.ImportPrivateKey(Pattern(algorithm.PrivateKeySize, 3)));
        });

    /// <summary>A second X25519 key whose public half is a valid peer key for the seeds.</summary>
    public static PrivateKey PeerKey(KeyAgreementAlgorithm algorithm) =>
        Get(("peer", algorithm), () => Providers.KeyAgreement(algorithm).ImportPrivateKey(Pattern(algorithm.PrivateKeySize, 4)));

    public static (IAead Aead, byte[] Key) Aead(AeadAlgorithm algorithm) =>
        Get(algorithm, () => (Providers.Aead(algorithm), Pattern(algorithm.KeySize, 5)));

    public static (IKeyWrap Wrap, byte[] Kek) KeyWrap(KeyWrapAlgorithm algorithm) =>
        Get(algorithm, () => (Providers.KeyWrap(algorithm), Pattern(32, 6)));

    /// <summary>Builds every fixture of the algorithms that are available; the others are skipped.</summary>
    public static void PrepareAll<TAlgorithm>(IEnumerable<TAlgorithm> algorithms, Action<TAlgorithm> prepare)
        where TAlgorithm : CryptoAlgorithm
    {
        foreach (var algorithm in algorithms.Where(IsAvailable))
            prepare(algorithm);
    }

    /// <summary>Any other per-process fixture (seed signatures, say), made once.</summary>
    public static object Cached(object key, Func<object> create) => Cache.GetOrAdd(key, _ => create());

    private static T Get<T>(object key, Func<T> create)
        where T : notnull =>
        (T)Cache.GetOrAdd(key, _ => create());
}
