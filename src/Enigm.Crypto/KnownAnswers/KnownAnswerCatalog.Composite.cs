namespace Enigm.Crypto.KnownAnswers;

public static partial class KnownAnswerCatalog
{
    private static IEnumerable<KnownAnswerSet> CompositeSets() => CompositeKnownAnswers.Sets();
}
