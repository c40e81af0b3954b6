using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace Enigm.Benchmarks.Infrastructure;

/// <summary>
/// <c>dotnet Enigm.Benchmarks.dll cputime &lt;class filter&gt; [rounds]</c>: the benchmark methods of each matching
/// class, timed by the CPU time of the benchmarking thread (Linux CLOCK_THREAD_CPUTIME_ID) instead of the
/// wall clock, with the methods of one class interleaved round by round. On a machine shared with other jobs,
/// wall-clock figures mostly measure how often the process was preempted, and cases run minutes apart see
/// different loads; thread CPU time leaves preemption out and interleaving gives every case the same load, so
/// the ratios (to the class's <c>Baseline</c> method of the same category) hold. Cache and memory-bandwidth
/// contention from other processes still inflates the absolute figures somewhat. Allocation per operation
/// comes from <see cref="GC.GetAllocatedBytesForCurrentThread"/>. Not a replacement for BenchmarkDotNet's
/// statistics: a complement for loaded machines.
/// </summary>
internal static partial class CpuTimeRun
{
    private const long BatchNanoseconds = 20_000_000;
    private const long WarmUpMilliseconds = 1000;

    /// <summary>
    /// <c>walltime</c> mode: the same interleaved rounds timed by the monotonic wall clock, for code that puts
    /// work on other threads (the attachment digest, first contact's second core), whose CPU time the benchmarking
    /// thread does not see. Every batch is also timed by the process's CPU clock (CLOCK_PROCESS_CPUTIME_ID: all
    /// threads, so the work on the second core too, and the runtime's own threads) and the benchmarking thread's,
    /// printed after the allocation column: wall clock is the latency, process CPU what it costs the machine.
    /// </summary>
    private static bool s_wallClock;

    public static int Run(string filter, int rounds, bool wallClock = false)
    {
        s_wallClock = wallClock;
        var types = typeof(CpuTimeRun).Assembly.GetTypes()
            .Where(t => t.Name.Contains(filter, StringComparison.OrdinalIgnoreCase) && Methods(t).Any())
            .OrderBy(t => t.Name);
        foreach (var type in types)
        {
            foreach (var parameters in SmokeRun.Combinations(type))
            {
                var instance = Activator.CreateInstance(type)!;
                foreach (var (property, value) in parameters) property.SetValue(instance, value);
                Invoke<GlobalSetupAttribute>(instance);
                var label = parameters.Count == 0 ? type.Name : $"{type.Name}({string.Join(", ", parameters.Select(p => p.Value))})";
                Measure(label, [.. Methods(type).Select(m => new Case(m, Compile(instance, m)))], rounds);
                Invoke<GlobalCleanupAttribute>(instance);
            }
        }

        return 0;
    }

    private static void Measure(string label, List<Case> cases, int rounds)
    {
        foreach (var c in cases) c.Calibrate();
        for (var round = 0; round < rounds; round++)
        {
            // Rotate the order so no case always runs right after the same neighbour.
            for (var i = 0; i < cases.Count; i++) cases[(i + round) % cases.Count].Sample();
        }

        Console.WriteLine($"\n{label}: {(s_wallClock ? "wall-clock time" : "thread CPU time")}, {rounds} interleaved rounds, median per operation");
        var extraHeader = s_wallClock ? " process CPU median | process CPU min | thread CPU median |" : "";
        Console.WriteLine($"| case | category | median | min | ratio to baseline | allocated/op |{extraHeader}");
        Console.WriteLine($"|---|---|---:|---:|---:|---:|{(s_wallClock ? "---:|---:|---:|" : "")}");
        foreach (var c in cases)
        {
            var baseline = cases.FirstOrDefault(b => b.IsBaseline && b.Category == c.Category);
            var ratio = baseline is null ? "" : $"{Median(c.Samples) / Median(baseline.Samples):F2}×";
            var extra = s_wallClock ? $" {Format(Median(c.ProcessCpu))} | {Format(c.ProcessCpu.Min())} | {Format(Median(c.ThreadCpu))} |" : "";
            Console.WriteLine($"| {c.Name} | {c.Category} | {Format(Median(c.Samples))} | {Format(c.Samples.Min())} | {ratio} | {c.AllocatedPerOp:F0} B |{extra}");
        }
    }

    private static string Format(double nanoseconds) =>
        nanoseconds >= 1_000_000 ? $"{nanoseconds / 1_000_000:F3} ms" : $"{nanoseconds / 1000:F2} µs";

    private static IEnumerable<MethodInfo> Methods(Type type) =>
        type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null);

    private static Action Compile(object instance, MethodInfo method) =>
        Expression.Lambda<Action>(Expression.Call(Expression.Constant(instance), method)).Compile();

    private static void Invoke<TAttribute>(object instance)
        where TAttribute : Attribute
    {
        foreach (var method in instance.GetType().GetMethods().Where(m => m.GetCustomAttribute<TAttribute>() is not null))
            method.Invoke(instance, null);
    }

    private static double Median(List<double> samples)
    {
        var sorted = samples.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The mode's clock: the benchmarking thread's CPU time, or the wall clock in <c>walltime</c> mode.</summary>
    private static long ThreadCpuNanoseconds() =>
        s_wallClock ? WallNanoseconds() : ClockNanoseconds(ClockThreadCpuTimeId);

    private static long WallNanoseconds() =>
        (long)(System.Diagnostics.Stopwatch.GetTimestamp() * (1_000_000_000.0 / System.Diagnostics.Stopwatch.Frequency));

    private static long ClockNanoseconds(int clock)
    {
        if (clock_gettime(clock, out var time) != 0)
            throw new InvalidOperationException($"clock_gettime({clock}) failed; this mode needs Linux.");
        return (time.Seconds * 1_000_000_000) + time.Nanoseconds;
    }

    private const int ClockProcessCpuTimeId = 2;
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int clock_gettime(int clock, out Timespec time);

    private sealed class Case(MethodInfo method, Action action)
    {
        private int _batch = 1;
        private long _allocated;
        private long _operations;

        public string Name { get; } = method.Name;

        public string Category { get; } = method.GetCustomAttribute<BenchmarkCategoryAttribute>()?.Categories.FirstOrDefault() ?? "";

        public bool IsBaseline { get; } = method.GetCustomAttribute<BenchmarkAttribute>()!.Baseline;

        /// <summary>Per operation, by the mode's clock.</summary>
        public List<double> Samples { get; } = [];

        /// <summary>Per operation, process CPU time and the benchmarking thread's CPU time (walltime mode only).</summary>
        public List<double> ProcessCpu { get; } = [];

        public List<double> ThreadCpu { get; } = [];

        public double AllocatedPerOp => _operations == 0 ? 0 : (double)_allocated / _operations;

        /// <summary>Warms the method up (tiered JIT) and sizes a batch to about 20 ms of CPU.</summary>
        public void Calibrate()
        {
            // A second of wall-clock calls first: the tiered JIT promotes a method to optimised code only
            // after 30 calls, a 100 ms quiet period and a background compile, which on a loaded machine can
            // take longer than the first rounds, so three calls left early rounds timing unoptimised code
            // (a 1 KiB ratchet pair measured 51 µs in 11 rounds and 26 µs with tiering off).
            var warmUp = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < 3 || warmUp.ElapsedMilliseconds < WarmUpMilliseconds; i++) action();
            var start = ThreadCpuNanoseconds();
            var count = 0;
            while (ThreadCpuNanoseconds() - start < BatchNanoseconds)
            {
                action();
                count++;
            }

            _batch = Math.Max(1, count);
        }

        public void Sample()
        {
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var (processStart, threadStart) = s_wallClock ? (ClockNanoseconds(ClockProcessCpuTimeId), ClockNanoseconds(ClockThreadCpuTimeId)) : (0, 0);
            var start = ThreadCpuNanoseconds();
            for (var i = 0; i < _batch; i++) action();
            var elapsed = ThreadCpuNanoseconds() - start;
            if (s_wallClock)
            {
                ProcessCpu.Add((double)(ClockNanoseconds(ClockProcessCpuTimeId) - processStart) / _batch);
                ThreadCpu.Add((double)(ClockNanoseconds(ClockThreadCpuTimeId) - threadStart) / _batch);
            }

            _allocated += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            _operations += _batch;
            Samples.Add((double)elapsed / _batch);
        }
    }
}
