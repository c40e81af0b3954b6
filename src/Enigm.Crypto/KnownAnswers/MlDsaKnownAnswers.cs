using System.Text.Json;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers.Signatures;
using Enigm.Crypto.Secrets;
using static Enigm.Crypto.KnownAnswers.SignatureKnownAnswerSupport;

namespace Enigm.Crypto.KnownAnswers;

/// <summary>
/// ML-DSA-65 and ML-DSA-87 against NIST ACVP (keyGen, sigGen, sigVer; FIPS 204) and Wycheproof
/// (sign with expanded key, sign with seed, verify). ML-DSA-44 cases count as unsupported; cases of the
/// other implemented parameter set are left to that set.
/// Where a provider cannot reproduce a signature (the BCL signs hedged with its own randomness; no
/// library here exposes Sign_internal), the case is checked the strongest way the provider allows: the
/// expected signature must verify under the public key derived from the vector's private key. Where
/// it cannot even verify that interface (BouncyCastle: internal interface, HashML-DSA other than
/// SHA-512), the case is unsupported.
/// </summary>
internal static class MlDsaKnownAnswers
{
    private const string AcvpKeyGen = "acvp/ML-DSA-keyGen-FIPS204/";
    private const string AcvpSigGen = "acvp/ML-DSA-sigGen-FIPS204/";
    private const string AcvpSigVer = "acvp/ML-DSA-sigVer-FIPS204/";

    public static IEnumerable<KnownAnswerSet> Sets()
    {
        foreach (var algorithm in new[] { SignatureAlgorithm.MlDsa65, SignatureAlgorithm.MlDsa87 })
        {
            var digits = algorithm == SignatureAlgorithm.MlDsa65 ? "65" : "87";
            yield return new($"acvp-{algorithm.Name}-keyGen", algorithm, [AcvpKeyGen + "prompt.json", AcvpKeyGen + "expectedResults.json"], AcvpKeyGenRun);
            yield return new($"acvp-{algorithm.Name}-sigGen", algorithm, [AcvpSigGen + "prompt.json", AcvpSigGen + "expectedResults.json"], AcvpSigGenRun);
            yield return new($"acvp-{algorithm.Name}-sigVer", algorithm, [AcvpSigVer + "prompt.json", AcvpSigVer + "expectedResults.json"], AcvpSigVerRun);
            var noSeed = $"wycheproof/mldsa_{digits}_sign_noseed_test.json";
            var seed = $"wycheproof/mldsa_{digits}_sign_seed_test.json";
            var verify = $"wycheproof/mldsa_{digits}_verify_test.json";
            yield return new($"wycheproof-{algorithm.Name}-sign-noseed", algorithm, [noSeed], (c, r) => WycheproofSignRun(c, r, noSeed));
            yield return new($"wycheproof-{algorithm.Name}-sign-seed", algorithm, [seed], (c, r) => WycheproofSignRun(c, r, seed));
            yield return new($"wycheproof-{algorithm.Name}-verify", algorithm, [verify], (c, r) => WycheproofVerifyRun(c, r, verify));
        }
    }

    private static (ISignatureScheme Scheme, IMlDsaVectorOperations? Operations) Primitive(KnownAnswerContext context, KnownAnswerReport report)
    {
        var scheme = context.Primitive<ISignatureScheme>(report.Algorithm);
        return (scheme, scheme as IMlDsaVectorOperations);
    }

    /// <summary>True when the ACVP group belongs to this set; ML-DSA-44 groups are counted as unsupported.</summary>
    private static bool InScope(JsonElement group, KnownAnswerReport report)
    {
        var parameterSet = group.Str("parameterSet");
        if (parameterSet == "ML-DSA-44") report.RecordUnsupported();
        return parameterSet == report.Algorithm.Name;
    }

    private static void AcvpKeyGenRun(KnownAnswerContext context, KnownAnswerReport report)
    {
        var (scheme, operations) = Primitive(context, report);
        using var prompt = context.Load(AcvpKeyGen + "prompt.json");
        using var expected = context.Load(AcvpKeyGen + "expectedResults.json");
        foreach (var (group, test, answer) in VectorJson.AcvpCases(prompt, expected))
        {
            if (!InScope(group, report)) continue;
            Run(report, $"tcId {test.GetProperty("tcId")}", () =>
            {
                var seed = test.Hex("seed");
                var publicKey = answer.Hex("pk");
                using var key = scheme.ImportPrivateKey(seed, PrivateKeyFormat.Seed);
                var matches = key.PublicKey.AsSpan().SequenceEqual(publicKey);
                if (operations is not null)
                {
                    var (pk, sk) = operations.GenerateFromSeed(seed);
                    matches &= pk.AsSpan().SequenceEqual(publicKey) && sk.AsSpan().SequenceEqual(answer.Hex("sk"));
                }

                return matches;
            });
        }
    }

    private static void AcvpSigGenRun(KnownAnswerContext context, KnownAnswerReport report)
    {
        var (scheme, operations) = Primitive(context, report);
        using var prompt = context.Load(AcvpSigGen + "prompt.json");
        using var expected = context.Load(AcvpSigGen + "expectedResults.json");
        foreach (var (group, test, answer) in VectorJson.AcvpCases(prompt, expected))
        {
            if (!InScope(group, report)) continue;
            Run(report, $"tcId {test.GetProperty("tcId")}", () =>
            {
                var input = AcvpInput(group, test);
                var rnd = group.GetProperty("deterministic").GetBoolean() ? [] : test.Hex("rnd");
                var sk = test.Hex("sk");
                var signature = answer.Hex("signature");
                var produced = operations?.Sign(sk, input, rnd);
                if (produced is not null) return produced.AsSpan().SequenceEqual(signature);
                using var key = scheme.ImportPrivateKey(sk, PrivateKeyFormat.Expanded);
                return VerifyInput(scheme, operations, key.PublicKey, input, signature);
            });
        }
    }

    private static void AcvpSigVerRun(KnownAnswerContext context, KnownAnswerReport report)
    {
        var (scheme, operations) = Primitive(context, report);
        using var prompt = context.Load(AcvpSigVer + "prompt.json");
        using var expected = context.Load(AcvpSigVer + "expectedResults.json");
        foreach (var (group, test, answer) in VectorJson.AcvpCases(prompt, expected))
        {
            if (!InScope(group, report)) continue;
            var shouldPass = answer.GetProperty("testPassed").GetBoolean();
            Run(report, $"tcId {test.GetProperty("tcId")}", () =>
            {
                var verdict = VerifyInput(scheme, operations, test.Hex("pk"), AcvpInput(group, test), test.Hex("signature"));
                return verdict is null ? null : verdict == shouldPass;
            }, rejectionExpected: !shouldPass);
        }
    }

    private static MlDsaInput AcvpInput(JsonElement group, JsonElement test)
    {
        if (group.Str("signatureInterface") == "internal")
        {
            return group.Flag("externalMu")
                ? new MlDsaInput(MlDsaInterface.ExternalMu, test.Hex("mu"), [])
                : new MlDsaInput(MlDsaInterface.InternalMessage, test.Hex("message"), []);
        }

        return group.Str("preHash") == "preHash"
            ? new MlDsaInput(MlDsaInterface.PreHash, test.Hex("message"), test.Hex("context"), test.Str("hashAlg"))
            : new MlDsaInput(MlDsaInterface.Pure, test.Hex("message"), test.Hex("context"));
    }

    /// <summary>Pure inputs go through the public interface; the others need the provider's vector operations.</summary>
    private static bool? VerifyInput(ISignatureScheme scheme, IMlDsaVectorOperations? operations, byte[] publicKey, MlDsaInput input, byte[] signature)
    {
        if (input.Interface == MlDsaInterface.Pure)
        {
            var viaInterface = scheme.Verify(publicKey, input.Data, signature, input.Context);
            var viaOperations = operations?.Verify(publicKey, input, signature);
            return viaOperations is null || viaOperations == viaInterface ? viaInterface : false;
        }

        return operations?.Verify(publicKey, input, signature);
    }

    private static void WycheproofSignRun(KnownAnswerContext context, KnownAnswerReport report, string file)
    {
        var (scheme, operations) = Primitive(context, report);
        using var document = context.Load(file);
        foreach (var (group, test) in document.WycheproofCases())
        {
            var result = test.Result();
            Run(report, $"tcId {test.GetProperty("tcId")}", () =>
            {
                var seeded = group.TryGetProperty("privateSeed", out _);
                using var key = seeded
                    ? scheme.ImportPrivateKey(group.Hex("privateSeed"), PrivateKeyFormat.Seed)
                    : scheme.ImportPrivateKey(group.Hex("privateKey"), PrivateKeyFormat.Expanded);
                var input = test.TryGetProperty("msg", out _)
                    ? new MlDsaInput(MlDsaInterface.Pure, test.Hex("msg"), test.HexOrNull("ctx") ?? [])
                    : new MlDsaInput(MlDsaInterface.ExternalMu, test.Hex("mu"), []);
                var signature = test.Hex("sig");
                var rnd = test.HexOrNull("rnd") ?? [];

                byte[]? produced = null;
                if (operations is not null)
                {
                    var expanded = seeded ? operations.GenerateFromSeed(group.Hex("privateSeed")).ExpandedPrivateKey : group.Hex("privateKey");
                    produced = operations.Sign(expanded, input, rnd);
                }

                if (produced is null)
                {
                    // Hedged-only provider: a context that is too long must still be refused.
                    if (input.Interface == MlDsaInterface.Pure && result == "invalid")
                        _ = scheme.Sign(key, input.Data, input.Context);
                    var verdict = VerifyInput(scheme, operations, key.PublicKey, input, signature);
                    return verdict is null ? null : result == "valid" ? verdict : !verdict.Value;
                }

                var publicKeyMatches = key.PublicKey.AsSpan().SequenceEqual(group.Hex("publicKey"));
                return result == "valid"
                    ? publicKeyMatches && produced.AsSpan().SequenceEqual(signature)
                    : result != "invalid";
            }, rejectionExpected: result == "invalid");
        }
    }

    private static void WycheproofVerifyRun(KnownAnswerContext context, KnownAnswerReport report, string file)
    {
        var scheme = context.Primitive<ISignatureScheme>(report.Algorithm);
        using var document = context.Load(file);
        foreach (var (group, test) in document.WycheproofCases())
        {
            Run(report, $"tcId {test.GetProperty("tcId")}", () => WycheproofVerdict(test.Result(), () =>
                scheme.Verify(group.Hex("publicKey"), test.Hex("msg"), test.Hex("sig"), test.HexOrNull("ctx") ?? [])));
        }
    }
}
