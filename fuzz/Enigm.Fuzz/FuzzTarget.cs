using Enigm.Crypto.Errors;

namespace Enigm.Fuzz;

/// <summary>
/// One fuzz target: a decoder of untrusted bytes plus the invariant it must keep. The invariant is the
/// same for every target: an input is either accepted or rejected with an <see cref="EnigmException"/>;
/// any other exception (an <see cref="IndexOutOfRangeException"/> from a decoder, a library exception that
/// was not translated, a <see cref="FuzzInvariantException"/> from a failed round-trip check) escapes
/// <see cref="Execute"/> and is a crash.
/// </summary>
public sealed class FuzzTarget(string name, string description, Action prepare, Action<ReadOnlySpan<byte>> run, Func<IEnumerable<FuzzSeed>> seeds)
{
    /// <summary>Outcome of an accepted input.</summary>
    public const string Accepted = "accepted";

    /// <summary>The command-line name (<c>fuzz/run.sh NAME</c>).</summary>
    public string Name { get; } = name;

    public string Description { get; } = description;

    /// <summary>
    /// Builds the target's fixed keys before fuzzing starts, so that one-time work (key generation, static
    /// constructors) does not show up as coverage that varies between executions.
    /// </summary>
    public void Prepare() => prepare();

    /// <summary>Valid (and a few deliberately invalid) encodings to start the fuzzer from.</summary>
    public IEnumerable<FuzzSeed> Seeds() => seeds();

    /// <summary>
    /// Runs one input. Returns <see cref="Accepted"/> or the <see cref="EnigmException.Code"/> of the
    /// typed rejection; every other exception propagates (AFL records it as a crash).
    /// </summary>
    public string Execute(ReadOnlySpan<byte> input)
    {
        try
        {
            run(input);
            return Accepted;
        }
        catch (EnigmException e)
        {
            return e.Code;
        }
    }

    public override string ToString() => Name;
}

/// <summary>A named seed input.</summary>
public sealed record FuzzSeed(string Label, byte[] Bytes);

/// <summary>
/// A decoder broke a property the harness checks on accepted input (round trip, forgery, output size).
/// Deliberately not an <see cref="EnigmException"/>: it must surface as a crash.
/// </summary>
public sealed class FuzzInvariantException : Exception
{
    public FuzzInvariantException()
    {
    }

    public FuzzInvariantException(string message)
        : base(message)
    {
    }

    public FuzzInvariantException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Throws when <paramref name="condition"/> is false.</summary>
    public static void Check(bool condition, string message)
    {
        if (!condition) throw new FuzzInvariantException(message);
    }
}

/// <summary>
/// The harness's own rejection of an input it cannot route (empty input, no provider for the selected
/// algorithm). Typed like a decoder rejection so that it never counts as a crash.
/// </summary>
internal static class HarnessReject
{
    public static MalformedInputException Empty() => new("fuzz input is empty");
}
