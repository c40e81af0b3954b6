using Enigm.Crypto.Algorithms;

namespace Enigm.Crypto.KnownAnswers;

public static partial class KnownAnswerCatalog
{
    private static IEnumerable<KnownAnswerSet> KemSets() =>
    [
        .. MlKemSets(KemAlgorithm.MlKem768),
        .. MlKemSets(KemAlgorithm.MlKem1024),
        XWingKnownAnswers.DraftVectors,
    ];

    private static IEnumerable<KnownAnswerSet> MlKemSets(KemAlgorithm algorithm) =>
    [
        KemKnownAnswers.AcvpKeyGen(algorithm),
        KemKnownAnswers.AcvpEncapDecap(algorithm),
        .. KemWycheproofKnownAnswers.For(algorithm),
    ];
}
