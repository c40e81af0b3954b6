using BenchmarkDotNet.Running;
using Enigm.Benchmarks.Infrastructure;

return args switch
{
    ["smoke"] => SmokeRun.Run(typeof(Program).Assembly),
    ["providers"] => ProviderListing.Run(),
    ["cputime", var filter, .. var rest] => CpuTimeRun.Run(filter, rest is [var rounds] ? int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture) : 15),
    ["walltime", var filter, .. var rest] => CpuTimeRun.Run(filter, rest is [var rounds] ? int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture) : 15, wallClock: true),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
