using System.Text.Json;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;

namespace Enigm.Crypto.KnownAnswers;

/// <summary>
/// Wycheproof ML-KEM vectors, four file families per parameter set:
/// <list type="bullet">
/// <item>mlkem_N_test: seed → ek, then decapsulation of c to K (bad seed and ciphertext lengths must be rejected);</item>
/// <item>mlkem_N_encaps_test: ek, m → c, K (keys failing the FIPS 203 7.2 length or modulus check must be rejected);</item>
/// <item>mlkem_N_keygen_seed_test: seed → ek, dk;</item>
/// <item>mlkem_N_semi_expanded_decaps_test: decapsulation with an expanded dk (FIPS 203 7.3 length and hash checks).</item>
/// </list>
/// Each case runs the whole operation: "valid" must succeed and match, "invalid" must end in a typed error.
/// </summary>
internal static class KemWycheproofKnownAnswers
{
    public static IEnumerable<KnownAnswerSet> For(KemAlgorithm algorithm)
    {
        var size = algorithm.Name["ML-KEM-".Length..];
        yield return Set(algorithm, $"wycheproof/mlkem_{size}_test.json", "mlkem_test", Combined);
        yield return Set(algorithm, $"wycheproof/mlkem_{size}_encaps_test.json", "mlkem_encaps_test", Encaps);
        yield return Set(algorithm, $"wycheproof/mlkem_{size}_keygen_seed_test.json", "mlkem_keygen_seed_test", KeyGen);
        yield return Set(algorithm, $"wycheproof/mlkem_{size}_semi_expanded_decaps_test.json", "mlkem_semi_expanded_decaps_test", SemiExpanded);
    }

    /// <summary>Runs <paramref name="runCase"/> (null = match, else a mismatch) on every case under its verdict.</summary>
    private static KnownAnswerSet Set(KemAlgorithm algorithm, string file, string family, Func<IKem, JsonElement, bool, string?> runCase) =>
        new($"Wycheproof {family} ({algorithm.Name})", algorithm, [file], (context, report) =>
        {
            var kem = context.Primitive<IKem>(algorithm);
            using var document = context.Load(file);
            foreach (var (group, testCase) in document.WycheproofCases())
            {
                if (group.StrOrNull("parameterSet") is { } parameterSet && parameterSet != algorithm.Name)
                {
                    report.RecordUnsupported();
                    continue;
                }

                var caseId = $"tc{testCase.GetProperty("tcId").GetInt32()}";
                switch (testCase.Result())
                {
                    case "valid":
                        KemVerdicts.MustMatch(report, caseId, () => runCase(kem, testCase, true));
                        break;
                    case "invalid":
                        KemVerdicts.MustReject(report, caseId, () => runCase(kem, testCase, false));
                        break;
                    default:
                        KemVerdicts.MatchOrReject(report, caseId, () => runCase(kem, testCase, true));
                        break;
                }
            }
        });

    /// <summary>mlkem_N_test: KeyGen from the 64-byte seed, ek check, Decaps(c) = K.</summary>
    private static string? Combined(IKem kem, JsonElement testCase, bool compare)
    {
        using var key = kem.DeriveKeyPair(testCase.Hex("seed"));
        using var secret = kem.Decapsulate(key, testCase.Hex("c"));
        if (!compare) return null;
        return KemVerdicts.First(
            testCase.HexOrNull("ek") is { } ek ? KemVerdicts.Compare("ek", ek, key.PublicKey) : null,
            KemVerdicts.Compare("K", testCase.Hex("K"), secret.Span));
    }

    /// <summary>
    /// mlkem_N_encaps_test: Encaps_internal(ek, m) = (K, c). A key that must be refused is offered to the
    /// randomised Encapsulate (the refusal cannot depend on m), so providers without derandomised
    /// encapsulation still run the negative cases.
    /// </summary>
    private static string? Encaps(IKem kem, JsonElement testCase, bool compare)
    {
        if (!compare)
        {
            kem.Encapsulate(testCase.Hex("ek")).Dispose();
            return null;
        }

        using var result = kem.EncapsulateDeterministic(testCase.Hex("ek"), testCase.Hex("m"));
        return KemVerdicts.First(
            KemVerdicts.Compare("c", testCase.Hex("c"), result.Ciphertext),
            KemVerdicts.Compare("K", testCase.Hex("K"), result.SharedSecret.Span));
    }

    /// <summary>mlkem_N_keygen_seed_test: KeyGen_internal(d, z) from seed = d ‖ z gives ek and dk.</summary>
    private static string? KeyGen(IKem kem, JsonElement testCase, bool compare)
    {
        using var key = kem.DeriveKeyPair(testCase.Hex("seed"));
        return compare ? KemKnownAnswers.CompareKeyPair(kem, key, testCase.Hex("ek"), testCase.HexOrNull("dk")) : null;
    }

    /// <summary>mlkem_N_semi_expanded_decaps_test: import dk (7.3 checks), Decaps(c) = K, embedded ek matches.</summary>
    private static string? SemiExpanded(IKem kem, JsonElement testCase, bool compare)
    {
        using var key = kem.ImportExpandedPrivateKey(testCase.Hex("dk"));
        using var secret = kem.Decapsulate(key, testCase.Hex("c"));
        if (!compare) return null;
        return KemVerdicts.First(
            testCase.HexOrNull("ek") is { } ek ? KemVerdicts.Compare("ek", ek, key.PublicKey) : null,
            KemVerdicts.Compare("K", testCase.Hex("K"), secret.Span));
    }
}
