using System.Globalization;

namespace Enigm.Keys.Model;

/// <summary>How long a key of one purpose is used, and how long its predecessor keeps processing after rotation.</summary>
public sealed record RotationRule(TimeSpan Cryptoperiod, TimeSpan Grace);

/// <summary>
/// Cryptoperiods per purpose (SP 800-57 Part 1 5.3 suggests 1–2 years for signing keys; signed prekeys
/// rotate weekly as in Signal). Every rule can be overridden; the store keeps its overrides.
/// </summary>
public sealed class RotationPolicy
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly Dictionary<KeyPurpose, RotationRule> _rules;

    public RotationPolicy(IReadOnlyDictionary<KeyPurpose, RotationRule>? overrides = null)
    {
        _rules = new Dictionary<KeyPurpose, RotationRule>(Defaults);
        foreach (var (purpose, rule) in overrides ?? new Dictionary<KeyPurpose, RotationRule>())
            _rules[purpose] = rule;
    }

    public static IReadOnlyDictionary<KeyPurpose, RotationRule> Defaults { get; } = new Dictionary<KeyPurpose, RotationRule>
    {
        [KeyPurpose.MessagingIdentity] = new(730 * Day, 30 * Day),
        [KeyPurpose.SignedPrekey] = new(7 * Day, 7 * Day),
        [KeyPurpose.OneTimePrekey] = new(30 * Day, 0 * Day),
        [KeyPurpose.KemPrekey] = new(7 * Day, 7 * Day),
        [KeyPurpose.DeviceSigning] = new(365 * Day, 30 * Day),
        [KeyPurpose.ReleaseSigning] = new(365 * Day, 90 * Day),
        [KeyPurpose.ManifestSigning] = new(90 * Day, 30 * Day),
        [KeyPurpose.Root] = new(1825 * Day, 365 * Day),
        [KeyPurpose.Recovery] = new(1825 * Day, 0 * Day),
        [KeyPurpose.Storage] = new(365 * Day, 30 * Day),
    };

    /// <summary>Shortest cryptoperiod a rule may set.</summary>
    public static TimeSpan MinCryptoperiod { get; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Longest cryptoperiod a rule may set: 20 years, four times SP 800-57 Part 1 5.3.6's longest
    /// suggested originator-usage period, and far from the calendar's end (year 9999) for any key.
    /// </summary>
    public static TimeSpan MaxCryptoperiod { get; } = TimeSpan.FromDays(20 * 365);

    /// <summary>Longest grace window a rule may set (10 years).</summary>
    public static TimeSpan MaxGrace { get; } = TimeSpan.FromDays(10 * 365);

    /// <summary>Why <paramref name="rule"/> is outside the documented bounds, or null when it is within them.</summary>
    public static string? Problem(RotationRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Cryptoperiod < MinCryptoperiod || rule.Cryptoperiod > MaxCryptoperiod)
            return $"the cryptoperiod must be between {FormatDuration(MinCryptoperiod)} and {FormatDuration(MaxCryptoperiod)} (got {FormatDuration(rule.Cryptoperiod)})";
        if (rule.Grace < TimeSpan.Zero)
            return "the grace window must not be negative";
        if (rule.Grace > MaxGrace)
            return $"the grace window must be between 0d and {FormatDuration(MaxGrace)} (got {FormatDuration(rule.Grace)})";
        return null;
    }

    public RotationRule For(KeyPurpose purpose) => _rules[purpose];

    public RotationPolicy With(KeyPurpose purpose, RotationRule rule) =>
        new(new Dictionary<KeyPurpose, RotationRule>(_rules) { [purpose] = rule });

    public IReadOnlyDictionary<KeyPurpose, RotationRule> Rules => _rules;

    /// <summary>Longest duration <see cref="ParseDuration"/> accepts (100 years).</summary>
    public const int MaxParsedYears = 100;

    /// <summary>
    /// Parses durations such as <c>7d</c>, <c>12h</c>, <c>90m</c> or <c>1y</c> (365 days), up to
    /// <see cref="MaxParsedYears"/> years; anything else is <see cref="FormatException"/>.
    /// </summary>
    public static TimeSpan ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length < 2 || text.Length > 12 || !long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            throw new FormatException($"Invalid duration '{text}' (use e.g. 7d, 12h, 1y).");
        long minutesPerUnit = text[^1] switch
        {
            'm' => 1,
            'h' => 60,
            'd' => 24 * 60,
            'y' => 365 * 24 * 60,
            _ => throw new FormatException($"Invalid duration unit in '{text}' (m, h, d or y)."),
        };
        const long maxMinutes = MaxParsedYears * 365L * 24 * 60;
        if (n > maxMinutes / minutesPerUnit)
            throw new FormatException($"Duration '{text}' is longer than {MaxParsedYears}y.");
        return TimeSpan.FromMinutes(n * minutesPerUnit);
    }

    public static string FormatDuration(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays == Math.Floor(span.TotalDays)
            ? $"{span.TotalDays.ToString(CultureInfo.InvariantCulture)}d"
            : $"{span.TotalHours.ToString(CultureInfo.InvariantCulture)}h";
}
