using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using Perfolizer.Horology;

namespace Enigm.Benchmarks.Infrastructure;

/// <summary>
/// The job for operations from nanoseconds to milliseconds: one launch, 3 warm-up and 15 measured
/// iterations of about 250 ms each. Fifteen samples keep the 99.9% confidence interval (the Error
/// column) honest while the whole suite fits in roughly 20 minutes on a 2-core machine.
/// </summary>
public sealed class ShortConfig : ManualConfig
{
    public ShortConfig()
    {
        AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(15)
            .WithIterationTime(TimeInterval.FromMilliseconds(250))
            .WithId("Short15"));
        AddCommon(this);
    }

    internal static void AddCommon(ManualConfig config)
    {
        // The generated benchmark project is built once per job; on a loaded 2-core machine that can
        // take longer than BenchmarkDotNet's default two minutes.
        config.WithBuildTimeout(TimeSpan.FromMinutes(15));
        config.AddDiagnoser(MemoryDiagnoser.Default);
        config.AddColumn(ProviderColumn.Algorithm, ProviderColumn.Provider, ProviderColumn.Selected);
        config.HideColumns(ProviderColumn.ParameterName);
        config.WithOrderer(new ProviderSideBySideOrderer());
    }
}

/// <summary>
/// The job for operations around a second or more (SLH-DSA signing and key generation): one call per
/// iteration, one warm-up and five measured iterations. The Error column is wide with five samples;
/// the spread between providers is far larger.
/// </summary>
public sealed class SlowConfig : ManualConfig
{
    public SlowConfig()
    {
        AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(5)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("Slow5"));
        ShortConfig.AddCommon(this);
    }
}
