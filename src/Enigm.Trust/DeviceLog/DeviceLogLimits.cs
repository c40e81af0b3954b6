namespace Enigm.Trust.DeviceLog;

/// <summary>
/// Ceilings a verifier applies before and while replaying a log; going over any of them is a
/// <see cref="Errors.DeviceLogTooLargeException"/>. The defaults leave room for years of ordinary use
/// (an entry with two composite signatures is about 9 KB).
/// </summary>
public sealed record DeviceLogLimits
{
    /// <summary>Largest accepted entry.</summary>
    public int MaxEntryBytes { get; init; } = 32 * 1024;

    /// <summary>Most entries in one log.</summary>
    public int MaxEntries { get; init; } = 4096;

    /// <summary>Most bytes in one log (all entries together).</summary>
    public long MaxLogBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Most devices and recovery keys trusted at the same time.</summary>
    public int MaxTrustedKeys { get; init; } = 256;

    public static DeviceLogLimits Default { get; } = new();
}
