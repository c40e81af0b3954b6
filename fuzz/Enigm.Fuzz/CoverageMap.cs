using System.Runtime.InteropServices;

namespace Enigm.Fuzz;

/// <summary>
/// Instrumented assemblies (fuzz/run.sh rewrites Enigm.Crypto.dll with sharpfuzz) record every branch in
/// SharpFuzz's shared coverage map. Until afl-fuzz hands over its shared memory (inside
/// <c>Fuzzer.Run</c>) that pointer is null, and the first instrumented branch (a static constructor, the
/// fixed keys, a replayed input) would write through it. A private scratch map keeps every mode usable
/// with the instrumented build; <c>Fuzzer.Run</c> replaces it with afl's map.
/// </summary>
internal static unsafe class CoverageMap
{
    private const int MapSize = 1 << 16;

    public static void EnsureAllocated()
    {
        if (SharpFuzz.Common.Trace.SharedMem == null)
            SharpFuzz.Common.Trace.SharedMem = (byte*)NativeMemory.AllocZeroed(MapSize);
    }
}
