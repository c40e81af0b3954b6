using System.Text.Json;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;

namespace Enigm.Crypto.KnownAnswers;

/// <summary>
/// NIST ACVP ML-KEM vectors (FIPS 203): keyGen (d, z → ek, dk) and encapDecap with its four functions:
/// encapsulation (ek, m → c, k), decapsulation (dk, c → k, including modified ciphertexts that take
/// the implicit-rejection path), decapsulationKeyCheck (FIPS 203 7.3) and encapsulationKeyCheck
/// (FIPS 203 7.2). Each set covers one parameter set. ML-KEM-512 is not implemented by Enigm, so its
/// groups count as unsupported; groups of the other implemented parameter set belong to that set's run.
/// </summary>
internal static class KemKnownAnswers
{
    private const string KeyGenPrompt = "acvp/ML-KEM-keyGen-FIPS203/prompt.json";
    private const string KeyGenExpected = "acvp/ML-KEM-keyGen-FIPS203/expectedResults.json";
    private const string EncapDecapPrompt = "acvp/ML-KEM-encapDecap-FIPS203/prompt.json";
    private const string EncapDecapExpected = "acvp/ML-KEM-encapDecap-FIPS203/expectedResults.json";

    public static KnownAnswerSet AcvpKeyGen(KemAlgorithm algorithm) =>
        new($"ACVP ML-KEM keyGen ({algorithm.Name})", algorithm, [KeyGenPrompt, KeyGenExpected],
            (context, report) => RunKeyGen(algorithm, context, report));

    public static KnownAnswerSet AcvpEncapDecap(KemAlgorithm algorithm) =>
        new($"ACVP ML-KEM encapDecap ({algorithm.Name})", algorithm, [EncapDecapPrompt, EncapDecapExpected],
            (context, report) => RunEncapDecap(algorithm, context, report));

    /// <summary>Compares a derived key's ek and, where the provider can export it, its FIPS 203 dk.</summary>
    internal static string? CompareKeyPair(IKem kem, Secrets.PrivateKey key, byte[] expectedEk, byte[]? expectedDk)
    {
        var mismatch = KemVerdicts.Compare("ek", expectedEk, key.PublicKey);
        if (mismatch is not null || expectedDk is null || kem is not IKemExpandedKeyExport export) return mismatch;
        using var dk = export.ExportExpandedPrivateKey(key);
        return KemVerdicts.Compare("dk", expectedDk, dk.Span);
    }

    private static void RunKeyGen(KemAlgorithm algorithm, KnownAnswerContext context, KnownAnswerReport report)
    {
        var kem = context.Primitive<IKem>(algorithm);
        using var prompt = context.Load(KeyGenPrompt);
        using var expected = context.Load(KeyGenExpected);
        foreach (var (group, input, output) in VectorJson.AcvpCases(prompt, expected))
        {
            if (!Applies(group, algorithm, report)) continue;
            var caseId = CaseId(group, input);
            KemVerdicts.MustMatch(report, caseId, () =>
            {
                // FIPS 203 7.1: ML-KEM.KeyGen_internal(d, z); Enigm's seed is d ‖ z.
                byte[] seed = [.. input.Hex("d"), .. input.Hex("z")];
                using var key = kem.DeriveKeyPair(seed);
                return CompareKeyPair(kem, key, output.Hex("ek"), output.Hex("dk"));
            });
        }
    }

    private static void RunEncapDecap(KemAlgorithm algorithm, KnownAnswerContext context, KnownAnswerReport report)
    {
        var kem = context.Primitive<IKem>(algorithm);
        using var prompt = context.Load(EncapDecapPrompt);
        using var expected = context.Load(EncapDecapExpected);
        foreach (var (group, input, output) in VectorJson.AcvpCases(prompt, expected))
        {
            if (!Applies(group, algorithm, report)) continue;
            var caseId = CaseId(group, input);
            switch (group.Str("function"))
            {
                case "encapsulation":
                    KemVerdicts.MustMatch(report, caseId, () =>
                    {
                        using var result = kem.EncapsulateDeterministic(input.Hex("ek"), input.Hex("m"));
                        return KemVerdicts.First(
                            KemVerdicts.Compare("c", output.Hex("c"), result.Ciphertext),
                            KemVerdicts.Compare("k", output.Hex("k"), result.SharedSecret.Span));
                    });
                    break;
                case "decapsulation":
                    KemVerdicts.MustMatch(report, caseId, () =>
                    {
                        using var key = kem.ImportExpandedPrivateKey(input.Hex("dk"));
                        using var secret = kem.Decapsulate(key, input.Hex("c"));
                        return KemVerdicts.Compare("k", output.Hex("k"), secret.Span);
                    });
                    break;
                case "decapsulationKeyCheck":
                    KeyCheck(report, caseId, output, () => kem.ImportExpandedPrivateKey(input.Hex("dk")).Dispose());
                    break;
                case "encapsulationKeyCheck":
                    KeyCheck(report, caseId, output, () => kem.ValidatePublicKey(input.Hex("ek")));
                    break;
                default:
                    report.RecordUnsupported();
                    break;
            }
        }
    }

    private static void KeyCheck(KnownAnswerReport report, string caseId, JsonElement output, Action check)
    {
        if (output.Flag("testPassed"))
            KemVerdicts.MustMatch(report, caseId, () =>
            {
                check();
                return null;
            });
        else
            KemVerdicts.MustReject(report, caseId, check);
    }

    /// <summary>True for this set's parameter set; ML-KEM-512 (not in Enigm) is counted as unsupported.</summary>
    private static bool Applies(JsonElement group, KemAlgorithm algorithm, KnownAnswerReport report)
    {
        var parameterSet = group.Str("parameterSet");
        if (parameterSet == algorithm.Name) return true;
        if (!KemAlgorithm.All.Any(a => a.Name == parameterSet)) report.RecordUnsupported();
        return false;
    }

    private static string CaseId(JsonElement group, JsonElement input) =>
        $"tg{group.GetProperty("tgId").GetInt32()}/tc{input.GetProperty("tcId").GetInt32()}";
}
