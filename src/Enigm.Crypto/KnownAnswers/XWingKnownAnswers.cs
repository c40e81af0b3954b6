using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;

namespace Enigm.Crypto.KnownAnswers;

/// <summary>
/// draft-connolly-cfrg-xwing-kem test vectors (xwing/test-vectors.json, the same in drafts -06 to -10).
/// For each vector, three checks: GenerateKeyPairDerand(seed) gives pk, EncapsulateDerand(pk, eseed)
/// gives ct and ss, and Decapsulate(ct, sk) gives ss.
/// </summary>
internal static class XWingKnownAnswers
{
    private const string File = "xwing/test-vectors.json";

    public static KnownAnswerSet DraftVectors { get; } =
        new("X-Wing draft test vectors", KemAlgorithm.XWing, [File], (context, report) =>
        {
            var kem = context.Primitive<IKem>(KemAlgorithm.XWing);
            using var document = context.Load(File);
            var index = 0;
            foreach (var vector in document.RootElement.EnumerateArray())
            {
                var caseId = $"vector{index++}";
                KemVerdicts.MustMatch(report, $"{caseId}/keygen", () =>
                {
                    using var key = kem.DeriveKeyPair(vector.Hex("seed"));
                    return KemVerdicts.Compare("pk", vector.Hex("pk"), key.PublicKey);
                });
                KemVerdicts.MustMatch(report, $"{caseId}/encaps", () =>
                {
                    using var result = kem.EncapsulateDeterministic(vector.Hex("pk"), vector.Hex("eseed"));
                    return KemVerdicts.First(
                        KemVerdicts.Compare("ct", vector.Hex("ct"), result.Ciphertext),
                        KemVerdicts.Compare("ss", vector.Hex("ss"), result.SharedSecret.Span));
                });
                KemVerdicts.MustMatch(report, $"{caseId}/decaps", () =>
                {
                    using var key = kem.ImportExpandedPrivateKey(vector.Hex("sk"));
                    using var secret = kem.Decapsulate(key, vector.Hex("ct"));
                    return KemVerdicts.First(
                        KemVerdicts.Compare("pk", vector.Hex("pk"), key.PublicKey),
                        KemVerdicts.Compare("ss", vector.Hex("ss"), secret.Span));
                });
            }
        });
}
