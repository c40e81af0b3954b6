using Enigm.Crypto.Suites;

namespace Enigm.Trust.Enrollment;

/// <summary>Enrollment settings shared by both devices.</summary>
public sealed record EnrollmentOptions
{
    /// <summary>How long a link code is accepted after it is shown (default 5 minutes).</summary>
    public TimeSpan CodeLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest account state the new device accepts (default 1 MiB).</summary>
    public int MaxAccountStateSize { get; init; } = 1 << 20;

    /// <summary>Largest unsigned add-device entry the new device accepts to co-sign (default 256 KiB).</summary>
    public int MaxPreparedEntrySize { get; init; } = 256 << 10;

    /// <summary>Suites accepted in a link code; new codes use its preferred suite.</summary>
    public SuitePolicy SuitePolicy { get; init; } = SuitePolicy.Default;

    public static EnrollmentOptions Default { get; } = new();
}
