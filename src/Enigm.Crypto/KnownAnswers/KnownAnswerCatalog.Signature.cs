namespace Enigm.Crypto.KnownAnswers;

public static partial class KnownAnswerCatalog
{
    private static IEnumerable<KnownAnswerSet> SignatureSets() =>
    [
        .. Ed25519KnownAnswers.Sets(),
        .. EcdsaKnownAnswers.Sets(),
        .. MlDsaKnownAnswers.Sets(),
    ];
}
