using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// <see cref="CryptoObject"/> decoding: the structural decoder for every object type, and public-key
/// import, which also runs the selected provider's <c>ValidatePublicKey</c>. Encoding is canonical, so an
/// accepted object must re-encode to exactly its input.
/// </summary>
internal static class CryptoObjectTargets
{
    private static readonly ObjectType[] Types = Enum.GetValues<ObjectType>();

    /// <summary>Algorithms whose public keys a <see cref="CryptoObject"/> can carry, in a stable order.</summary>
    internal static IReadOnlyList<CryptoAlgorithm> PublicKeyAlgorithms { get; } =
        [.. KemAlgorithm.All, .. KeyAgreementAlgorithm.All, .. SignatureAlgorithm.All];

    /// <summary>Algorithms with a provider-side <c>ValidatePublicKey</c> (X25519 has none: see key-agreement).</summary>
    internal static IReadOnlyList<CryptoAlgorithm> ValidatedAlgorithms { get; } =
        [.. KemAlgorithm.All, .. SignatureAlgorithm.All];

    public static FuzzTarget Structural { get; } = new(
        "cbor-object",
        "CryptoObject.Decode (canonical CBOR [version, suite, type, algorithm, bytes]) for every object type; accepted objects re-encode identically.",
        static () => { },
        RunStructural,
        StructuralSeeds);

    public static FuzzTarget PublicKey { get; } = new(
        "public-key",
        "CryptoObject.DecodePublicKey through CryptoProviders.Default (structure, then the provider's ValidatePublicKey); accepted keys re-encode identically.",
        PreparePublicKeys,
        RunPublicKey,
        PublicKeySeeds);

    public static FuzzTarget RawPublicKey { get; } = new(
        "raw-public-key",
        "ValidatePublicKey of the selected KEM or signature provider on raw bytes of any length (byte 0 selects the algorithm).",
        PreparePublicKeys,
        RunRawPublicKey,
        RawPublicKeySeeds);

    private static void RunStructural(ReadOnlySpan<byte> input)
    {
        var data = input.ToArray();
        EnigmException? last = null;
        var accepted = 0;
        foreach (var type in Types)
        {
            try
            {
                var decoded = CryptoObject.Decode(data, type, SuitePolicy.Default);
                accepted++;
                FuzzInvariantException.Check(decoded.Type == type, $"object decoded as {type} reports {decoded.Type}");
                CheckRoundTrip(decoded, data);
            }
            catch (EnigmException e)
            {
                last = e;
            }
        }

        FuzzInvariantException.Check(accepted <= 1, $"one encoding accepted as {accepted} object types");
        if (accepted == 0) throw last!;
    }

    private static void RunPublicKey(ReadOnlySpan<byte> input)
    {
        var data = input.ToArray();
        var decoded = CryptoObject.DecodePublicKey(data, SuitePolicy.Default, Fixtures.Providers);
        CheckRoundTrip(decoded, data);
    }

    private static void RunRawPublicKey(ReadOnlySpan<byte> input)
    {
        var fields = new FuzzInput(input);
        var algorithm = fields.Select(ValidatedAlgorithms);
        var key = fields.Rest;
        if (algorithm is KemAlgorithm kem)
            Fixtures.Providers.Kem(kem).ValidatePublicKey(key);
        else
            Fixtures.Providers.Signature((SignatureAlgorithm)algorithm).ValidatePublicKey(key);

        // Validation accepted the key, so its length must be the algorithm's public-key size.
        FuzzInvariantException.Check(key.Length == PublicKeySize(algorithm), $"{algorithm.Name} accepted a {key.Length}-byte public key");
    }

    private static void CheckRoundTrip(CryptoObject decoded, byte[] input) =>
        FuzzInvariantException.Check(
            decoded.Encode().AsSpan().SequenceEqual(input),
            $"{decoded.Type} {decoded.Algorithm.Name} does not re-encode to its input");

    internal static int PublicKeySize(CryptoAlgorithm algorithm) => algorithm switch
    {
        KemAlgorithm k => k.PublicKeySize,
        KeyAgreementAlgorithm a => a.PublicKeySize,
        SignatureAlgorithm s => s.PublicKeySize,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm.Name, "not a public-key algorithm"),
    };

    /// <summary>A real public key when a provider is available, else patterned bytes of the right size.</summary>
    internal static (byte[] Key, bool Real) SeedPublicKey(CryptoAlgorithm algorithm, byte salt)
    {
        if (Fixtures.IsAvailable(algorithm))
        {
            return algorithm switch
            {
                KemAlgorithm k => (Fixtures.Kem(k).Key.PublicKey, true),
                SignatureAlgorithm s => (Fixtures.Signature(s).Key.PublicKey, true),
                KeyAgreementAlgorithm a => (Fixtures.PeerKey(a).PublicKey, true),
                _ => (Fixtures.Pattern(PublicKeySize(algorithm), salt), false),
            };
        }

        return (Fixtures.Pattern(PublicKeySize(algorithm), salt), false);
    }

    private static void PreparePublicKeys()
    {
        Fixtures.PrepareAll(KemAlgorithm.All, a => Fixtures.Kem(a));
        Fixtures.PrepareAll(SignatureAlgorithm.All, a => Fixtures.Signature(a));
        Fixtures.PrepareAll(KeyAgreementAlgorithm.All, a => Fixtures.PeerKey(a));
    }

    private static IEnumerable<FuzzSeed> StructuralSeeds()
    {
        var suite = SuiteRegistry.Suite1;
        foreach (var algorithm in PublicKeyAlgorithms.Where(suite.Uses))
            yield return Seed(ObjectType.PublicKey, suite, algorithm, Fixtures.Pattern(PublicKeySize(algorithm), 7));
        foreach (var algorithm in SignatureAlgorithm.All.Where(suite.Uses))
        {
            yield return Seed(ObjectType.Signature, suite, algorithm, Fixtures.Pattern(algorithm.MinSignatureSize, 8));
            if (algorithm.MaxSignatureSize != algorithm.MinSignatureSize)
                yield return Seed(ObjectType.Signature, suite, algorithm, Fixtures.Pattern(algorithm.MaxSignatureSize, 8));
        }

        foreach (var algorithm in KemAlgorithm.All)
            yield return Seed(ObjectType.KemCiphertext, suite, algorithm, Fixtures.Pattern(algorithm.CiphertextSize, 9));
        yield return Seed(ObjectType.PublicKey, SuiteRegistry.Suite2, KeyAgreementAlgorithm.X25519, Fixtures.Pattern(32, 7));

        // Near misses the encoder refuses to produce: an algorithm outside the suite, a wrong length.
        yield return NearMiss("not-in-suite", suite.Id, ObjectType.Signature, SignatureAlgorithm.SlhDsaSha2_128s.Name, Fixtures.Pattern(SignatureAlgorithm.SlhDsaSha2_128s.MaxSignatureSize, 8));
        yield return NearMiss("short-key", suite.Id, ObjectType.PublicKey, KeyAgreementAlgorithm.X25519.Name, Fixtures.Pattern(31, 7));
        yield return NearMiss("unknown-algorithm", suite.Id, ObjectType.PublicKey, "X448", Fixtures.Pattern(56, 7));
    }

    private static FuzzSeed NearMiss(string label, ushort suiteId, ObjectType type, string algorithmName, byte[] value)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(5);
        new FormatHeader(FormatHeader.CurrentVersion, suiteId, type).WriteTo(writer);
        writer.WriteTextString(algorithmName);
        writer.WriteByteString(value);
        writer.WriteEndArray();
        return new FuzzSeed($"{type}-{label}", writer.Encode());
    }

    private static IEnumerable<FuzzSeed> PublicKeySeeds()
    {
        foreach (var algorithm in PublicKeyAlgorithms.Where(SuiteRegistry.Suite1.Uses))
        {
            var (key, real) = SeedPublicKey(algorithm, 10);
            yield return Seed(ObjectType.PublicKey, SuiteRegistry.Suite1, algorithm, key, real ? "valid" : "pattern");
        }
    }

    private static IEnumerable<FuzzSeed> RawPublicKeySeeds()
    {
        for (var i = 0; i < ValidatedAlgorithms.Count; i++)
        {
            var algorithm = ValidatedAlgorithms[i];
            var (key, real) = SeedPublicKey(algorithm, 11);
            yield return new FuzzSeed($"{algorithm.Name}-{(real ? "valid" : "pattern")}", [(byte)i, .. key]);
        }
    }

    private static FuzzSeed Seed(ObjectType type, Suite suite, CryptoAlgorithm algorithm, byte[] value, string kind = "pattern") =>
        new($"{type}-suite{suite.Id}-{algorithm.Name}-{kind}-{value.Length}", new CryptoObject(type, suite, algorithm, value).Encode());
}
