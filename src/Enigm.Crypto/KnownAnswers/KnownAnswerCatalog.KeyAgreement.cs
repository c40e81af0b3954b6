namespace Enigm.Crypto.KnownAnswers;

public static partial class KnownAnswerCatalog
{
    private static IEnumerable<KnownAnswerSet> KeyAgreementSets() => [X25519KnownAnswers.Wycheproof];
}
