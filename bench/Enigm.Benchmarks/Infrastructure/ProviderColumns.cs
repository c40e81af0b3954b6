using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Enigm.Benchmarks.Infrastructure;

/// <summary>
/// Splits the <see cref="ProviderCase"/> parameter into Algorithm / Provider columns and marks the
/// provider Enigm selects, so a report reads "this is what the product uses, this is the alternative".
/// </summary>
public sealed class ProviderColumn(string name, int priority, Func<ProviderCase, string> value) : IColumn
{
    public const string ParameterName = "Impl";

    public static readonly IColumn Algorithm = new ProviderColumn("Algorithm", 0, c => c.Algorithm.Name);

    public static readonly IColumn Provider = new ProviderColumn("Provider", 1, c => c.Provider);

    public static readonly IColumn Selected = new ProviderColumn("Selected", 2, c => c.IsSelected ? "yes" : "-");

    public string Id => $"{nameof(ProviderColumn)}.{name}";

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Params;

    public int PriorityInCategory => -10 + priority;

    public bool IsNumeric => false;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => name switch
    {
        "Algorithm" => "Algorithm measured",
        "Provider" => "Provider implementing it (bcl, libsodium, bouncycastle, composed)",
        _ => "yes when CryptoProviders.Default selects this provider on this machine",
    };

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        benchmarkCase.Parameters[ParameterName] is ProviderCase c ? value(c) : "?";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public override string ToString() => ColumnName;
}
