using BenchmarkDotNet.Running;
using Enigm.Benchmarks.Infrastructure;

if (args is ["smoke"])
    return SmokeRun.Run(typeof(Program).Assembly);

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
