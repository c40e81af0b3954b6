namespace Enigm.Crypto.KnownAnswers;

/// <summary>
/// Every known-answer set. Each family lists its sets in its own file (KnownAnswerCatalog.*.cs).
/// </summary>
public static partial class KnownAnswerCatalog
{
    public static IReadOnlyList<KnownAnswerSet> All { get; } =
    [
        .. KemSets(),
        .. KeyAgreementSets(),
        .. SignatureSets(),
        .. CompositeSets(),
        .. SymmetricSets(),
    ];
}
