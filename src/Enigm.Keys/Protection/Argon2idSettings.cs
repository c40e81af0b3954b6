namespace Enigm.Keys.Protection;

/// <summary>
/// Argon2id cost parameters (RFC 9106 3.1): memory in KiB (m), passes (t) and lanes (p).
/// libsodium — and so NSec, which Enigm uses — implements Argon2id with a single lane only (p = 1); the
/// presets therefore follow RFC 9106 section 4 with p = 1 and keep the recommended memory and passes.
/// </summary>
public sealed record Argon2idSettings(int MemoryKiB, int Iterations, int Parallelism)
{
    /// <summary>
    /// libsodium's minimum memory (crypto_pwhash_argon2id_MEMLIMIT_MIN, 8 KiB): the floor a descriptor may
    /// name, not a preset. Cheaper costs are paid for by a stronger passphrase (<see cref="PassphraseStrength"/>);
    /// no preset below <see cref="Interactive"/> ships.
    /// </summary>
    public const int MinMemoryKiB = 8;

    /// <summary>Upper bound accepted from a descriptor (4 GiB), so an edited store cannot demand unbounded memory.</summary>
    public const int MaxMemoryKiB = 4 * 1024 * 1024;

    /// <summary>Upper bound on passes accepted from a descriptor, for the same reason.</summary>
    public const int MaxIterations = 1024;

    /// <summary>
    /// RFC 9106 section 4, second recommended option (memory-constrained): t = 3, m = 64 MiB — with p = 1
    /// instead of 4 (libsodium). For a store unlocked often on small machines.
    /// </summary>
    public static Argon2idSettings Interactive { get; } = new(64 * 1024, 3, 1);

    /// <summary>
    /// The default: 256 MiB, t = 3, p = 1 (libsodium's MODERATE limits), between the two RFC 9106
    /// section 4 options — four times the memory of the second option at the same number of passes.
    /// </summary>
    public static Argon2idSettings Moderate { get; } = new(256 * 1024, 3, 1);

    /// <summary>RFC 9106 section 4, first recommended option: t = 1, m = 2 GiB — with p = 1 instead of 4 (libsodium).</summary>
    public static Argon2idSettings Sensitive { get; } = new(2 * 1024 * 1024, 1, 1);

    /// <summary>The settings a new store gets when none are named.</summary>
    public static Argon2idSettings Default => Moderate;

    /// <summary>Whether these settings are usable here: within the bounds above and p = 1 (libsodium).</summary>
    public bool IsValid(out string reason)
    {
        reason = this switch
        {
            { Parallelism: not 1 } => "libsodium's Argon2id supports exactly one lane (parallelism 1)",
            { MemoryKiB: < MinMemoryKiB or > MaxMemoryKiB } => $"memory must be {MinMemoryKiB}..{MaxMemoryKiB} KiB",
            { Iterations: < 1 or > MaxIterations } => $"iterations must be 1..{MaxIterations}",
            _ => "",
        };
        return reason.Length == 0;
    }

    /// <summary>True when every cost of these settings is at least that of <paramref name="other"/>.</summary>
    public bool IsAtLeast(Argon2idSettings other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return MemoryKiB >= other.MemoryKiB && Iterations >= other.Iterations;
    }

    public override string ToString() => $"Argon2id(m={MemoryKiB} KiB, t={Iterations}, p={Parallelism})";
}
