using System.Collections.Immutable;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;

namespace Enigm.Benchmarks.Infrastructure;

/// <summary>
/// Orders report rows by algorithm, then size, then operation, then provider in rank order, so every
/// provider of one operation sits on adjacent rows with the selected one first.
/// </summary>
public sealed class ProviderSideBySideOrderer() : DefaultOrderer(SummaryOrderPolicy.Declared)
{
    public override IEnumerable<BenchmarkCase> GetSummaryOrder(ImmutableArray<BenchmarkCase> benchmarksCase, Summary summary) =>
        benchmarksCase
            .OrderBy(c => Case(c) is { } p ? IndexOf(CryptoAlgorithm.All, p.Algorithm) : -1)
            .ThenBy(OtherParameters)
            .ThenBy(c => c.Descriptor.MethodIndex)
            .ThenBy(c => Case(c) is { } p ? RankOf(p) : -1);

    private static ProviderCase? Case(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Parameters[ProviderColumn.ParameterName] as ProviderCase;

    private static int IndexOf(IReadOnlyList<CryptoAlgorithm> list, CryptoAlgorithm algorithm)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] == algorithm) return i;
        return list.Count;
    }

    private static int RankOf(ProviderCase providerCase)
    {
        var available = CryptoProviders.Default.Available(providerCase.Algorithm);
        for (var i = 0; i < available.Count; i++)
            if (available[i].Provider == providerCase.Provider) return i;
        return available.Count;
    }

    private static long OtherParameters(BenchmarkCase benchmarkCase)
    {
        long key = 0;
        foreach (var item in benchmarkCase.Parameters.Items)
            if (item.Value is int value) key = (key * 1_000_000_007) + value;
        return key;
    }
}
