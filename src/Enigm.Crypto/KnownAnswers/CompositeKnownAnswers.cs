using System.Text.Json;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;
using static Enigm.Crypto.KnownAnswers.SignatureKnownAnswerSupport;

namespace Enigm.Crypto.KnownAnswers;

/// <summary>
/// The LAMPS composite ML-DSA vectors (draft-ietf-lamps-pq-composite-sigs -14..-19, src/testvectors.json,
/// kept in part in composite/testvectors-subset.json). The generator signs hedged, so signatures cannot
/// be reproduced byte for byte; per entry the runner checks that s verifies with an empty context and
/// sWithContext with ctx, that sWithContext does not verify without ctx, that sk imports to exactly pk,
/// and that a fresh signature made from sk verifies under pk. Entries for composites Enigm does not
/// implement count as unsupported.
/// </summary>
internal static class CompositeKnownAnswers
{
    private const string File = "composite/testvectors-subset.json";

    public static IEnumerable<KnownAnswerSet> Sets() =>
    [
        new("lamps-composite-id-MLDSA65-Ed25519-SHA512", SignatureAlgorithm.MlDsa65Ed25519, [File], RunSet),
        new("lamps-composite-id-MLDSA87-ECDSA-P384-SHA512", SignatureAlgorithm.MlDsa87EcdsaP384, [File], RunSet),
    ];

    private static void RunSet(KnownAnswerContext context, KnownAnswerReport report)
    {
        var scheme = context.Primitive<ISignatureScheme>(report.Algorithm);
        using var document = context.Load(File);
        var root = document.RootElement;
        var message = root.Base64("m");
        var applicationContext = root.Base64("ctx");
        foreach (var test in root.GetProperty("tests").EnumerateArray())
        {
            var id = test.Str("tcId");
            if (id != report.Algorithm.Name)
            {
                var implemented = SignatureAlgorithm.All.Any(a => a.IsComposite && a.Name == id);
                if (!implemented) report.RecordUnsupported();
                continue;
            }

            RunEntry(scheme, report, test, message, applicationContext);
        }
    }

    private static void RunEntry(ISignatureScheme scheme, KnownAnswerReport report, JsonElement test, byte[] message, byte[] applicationContext)
    {
        var id = test.Str("tcId");
        var publicKey = test.Base64("pk");
        Run(report, $"{id} s", () => scheme.Verify(publicKey, message, test.Base64("s")));
        Run(report, $"{id} sWithContext", () => scheme.Verify(publicKey, message, test.Base64("sWithContext"), applicationContext));
        Run(report, $"{id} sWithContext without ctx", () => Rejects(() => scheme.Verify(publicKey, message, test.Base64("sWithContext"))));
        Run(report, $"{id} sk imports to pk", () =>
        {
            using var key = scheme.ImportPrivateKey(test.Base64("sk"), PrivateKeyFormat.Seed);
            return key.PublicKey.AsSpan().SequenceEqual(publicKey);
        });
        Run(report, $"{id} fresh signature", () =>
        {
            using var key = scheme.ImportPrivateKey(test.Base64("sk"), PrivateKeyFormat.Seed);
            var signature = scheme.Sign(key, message, applicationContext);
            return scheme.Verify(publicKey, message, signature, applicationContext);
        });
    }
}
