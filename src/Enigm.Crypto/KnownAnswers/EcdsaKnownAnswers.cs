using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers.Signatures;
using static Enigm.Crypto.KnownAnswers.SignatureKnownAnswerSupport;

namespace Enigm.Crypto.KnownAnswers;

/// <summary>
/// ECDSA P-384 / SHA-384 verification against Wycheproof, in both signature encodings. Providers take
/// P1363 r‖s, so for the DER file the runner first converts strictly (canonical DER only, RFC 3279
/// §2.2.3 Ecdsa-Sig-Value); a signature that fails strict parsing counts as rejected — the same rule
/// the composite verifier applies to its ECDSA half.
/// </summary>
internal static class EcdsaKnownAnswers
{
    private const string DerFile = "wycheproof/ecdsa_secp384r1_sha384_test.json";
    private const string P1363File = "wycheproof/ecdsa_secp384r1_sha384_p1363_test.json";

    public static IEnumerable<KnownAnswerSet> Sets() =>
    [
        new("wycheproof-ECDSA-P384-SHA384-der", SignatureAlgorithm.EcdsaP384, [DerFile], (c, r) => RunSet(c, r, DerFile, der: true)),
        new("wycheproof-ECDSA-P384-SHA384-p1363", SignatureAlgorithm.EcdsaP384, [P1363File], (c, r) => RunSet(c, r, P1363File, der: false)),
    ];

    private static void RunSet(KnownAnswerContext context, KnownAnswerReport report, string file, bool der)
    {
        var scheme = context.Primitive<ISignatureScheme>(SignatureAlgorithm.EcdsaP384);
        using var document = context.Load(file);
        foreach (var (group, test) in document.WycheproofCases())
        {
            if (group.Str("sha") != "SHA-384")
            {
                report.RecordUnsupported();
                continue;
            }

            var publicKey = group.GetProperty("publicKey").Hex("uncompressed");
            Run(report, $"tcId {test.GetProperty("tcId")}", () => WycheproofVerdict(test.Result(), () =>
            {
                var signature = test.Hex("sig");
                if (der && !EcdsaSignatureEncoding.TryDerToP1363(signature, P384.FieldSize, out signature))
                    return false;
                return scheme.Verify(publicKey, test.Hex("msg"), signature);
            }));
        }
    }
}
