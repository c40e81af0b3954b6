using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using static Enigm.Crypto.KnownAnswers.SignatureKnownAnswerSupport;

namespace Enigm.Crypto.KnownAnswers;

/// <summary>
/// Ed25519 verification against Wycheproof ed25519_test (RFC 8032 §5.1.7, including malleable S,
/// non-canonical encodings and truncated or padded signatures). The file has no private keys; signing
/// is checked by the cross-provider tests (Ed25519 is deterministic, so both providers must agree).
/// </summary>
internal static class Ed25519KnownAnswers
{
    private const string File = "wycheproof/ed25519_test.json";

    public static IEnumerable<KnownAnswerSet> Sets() =>
        [new("wycheproof-Ed25519-verify", SignatureAlgorithm.Ed25519, [File], RunSet)];

    private static void RunSet(KnownAnswerContext context, KnownAnswerReport report)
    {
        var scheme = context.Primitive<ISignatureScheme>(SignatureAlgorithm.Ed25519);
        using var document = context.Load(File);
        foreach (var (group, test) in document.WycheproofCases())
        {
            var publicKey = group.GetProperty("publicKey").Hex("pk");
            Run(report, $"tcId {test.GetProperty("tcId")}", () =>
                WycheproofVerdict(test.Result(), () => scheme.Verify(publicKey, test.Hex("msg"), test.Hex("sig"))));
        }
    }
}
