using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;

namespace Enigm.Crypto.KnownAnswers;

/// <summary>
/// Wycheproof x25519_test.json. "valid" must agree on the expected secret. "acceptable" covers twist
/// points, non-canonical encodings and low-order points. There the expected secret or a typed rejection
/// both pass: Enigm rejects every all-zero result (RFC 7748 6.1), so the ZeroSharedSecret cases pass
/// as rejections.
/// </summary>
internal static class X25519KnownAnswers
{
    private const string File = "wycheproof/x25519_test.json";

    public static KnownAnswerSet Wycheproof { get; } =
        new("Wycheproof x25519_test", KeyAgreementAlgorithm.X25519, [File], (context, report) =>
        {
            var agreement = context.Primitive<IKeyAgreement>(KeyAgreementAlgorithm.X25519);
            using var document = context.Load(File);
            foreach (var (group, testCase) in document.WycheproofCases())
            {
                if (group.StrOrNull("curve") is { } curve && curve != "curve25519")
                {
                    report.RecordUnsupported();
                    continue;
                }

                var caseId = $"tc{testCase.GetProperty("tcId").GetInt32()}";
                string? Run()
                {
                    using var key = agreement.ImportPrivateKey(testCase.Hex("private"));
                    using var shared = agreement.Agree(key, testCase.Hex("public"));
                    return KemVerdicts.Compare("shared", testCase.Hex("shared"), shared.Span);
                }

                switch (testCase.Result())
                {
                    case "valid":
                        KemVerdicts.MustMatch(report, caseId, Run);
                        break;
                    case "invalid":
                        KemVerdicts.MustReject(report, caseId, () => Run());
                        break;
                    default:
                        KemVerdicts.MatchOrReject(report, caseId, Run);
                        break;
                }
            }
        });
}
