using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;

namespace Enigm.Benchmarks;

/// <summary>
/// First contact as a client meets it: one at a time, after a pause, not back to back. Run with <c>walltime</c> and
/// read the process CPU column (the wall clock includes the 2 ms pause). Back to back (<see cref="SessionSetupBenchmarks"/>)
/// the thread pool's worker never goes idle between operations and spins through every gap, so there the process
/// CPU counts a second core kept busy; after a pause it counts what one first contact costs, the worker's wake-up and
/// its spin after the item included. Subtract <see cref="PauseOnly"/>.
/// </summary>
[Config(typeof(ShortConfig))]
public class FirstContactIsolatedBenchmarks
{
    private const int PauseMilliseconds = 2;
    private readonly SessionSetupBenchmarks _cases = new();

    [GlobalSetup]
    public void Setup() => _cases.Setup();

    [Benchmark]
    public int PauseOnly()
    {
        Thread.Sleep(PauseMilliseconds);
        return 0;
    }

    [Benchmark]
    public int PqxdhBothSidesAfterPause()
    {
        Thread.Sleep(PauseMilliseconds);
        return _cases.PqxdhBothSides();
    }

    [Benchmark]
    public int PqxdhBothSidesFirstMessageAfterPause()
    {
        Thread.Sleep(PauseMilliseconds);
        return _cases.PqxdhBothSidesFirstMessage();
    }
}
