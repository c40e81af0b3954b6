namespace Enigm.Center.Tests.Support;

/// <summary>The page tests share one relay with its clients and one browser (they run one class at a time).</summary>
[CollectionDefinition(Name)]
public sealed class CenterCollection : ICollectionFixture<CenterWorld>, ICollectionFixture<Browser>
{
    public const string Name = "center";
}
