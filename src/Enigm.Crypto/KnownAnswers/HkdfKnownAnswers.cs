using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;

namespace Enigm.Crypto.KnownAnswers;

/// <summary>
/// Wycheproof hkdf_sha256_test / hkdf_sha512_test. Valid cases must give okm; the invalid cases ask for
/// more than 255·HashLen bytes (RFC 5869 2.3) and must be refused.
/// </summary>
internal static class HkdfKnownAnswers
{
    public static void RunWycheproof(KnownAnswerContext context, KnownAnswerReport report, KdfAlgorithm algorithm, string file)
    {
        var kdf = context.Primitive<IKdf>(algorithm);
        using var document = context.Load(file);
        foreach (var (_, testCase) in document.WycheproofCases())
        {
            var ikm = testCase.Hex("ikm");
            var salt = testCase.Hex("salt");
            var info = testCase.Hex("info");
            var size = testCase.GetProperty("size").GetInt32();
            var okm = testCase.Hex("okm");
            SymmetricVerdicts.Record(report, SymmetricVerdicts.CaseId(testCase), testCase.Result(),
                () =>
                {
                    var output = new byte[size];
                    kdf.DeriveKey(ikm, salt, info, output);
                    return output.AsSpan().SequenceEqual(okm);
                },
                () => kdf.DeriveKey(ikm, salt, info, new byte[size]));
        }
    }
}
