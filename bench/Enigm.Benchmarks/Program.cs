using BenchmarkDotNet.Running;
using Enigm.Benchmarks.Infrastructure;

return args switch
{
    ["smoke"] => SmokeRun.Run(typeof(Program).Assembly),
    ["providers"] => ProviderListing.Run(),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
