using Enigm.Ota.Metadata;

namespace Enigm.Ota.Repository;

/// <summary>
/// How long each role's metadata stays valid when the repository writes a new version. The defaults
/// follow the TUF specification's guidance (section 6.1): a long-lived offline root, targets renewed
/// quarterly, snapshot weekly and the online timestamp daily.
/// </summary>
public sealed record RepositorySettings
{
    public TimeSpan RootExpiry { get; init; } = TimeSpan.FromDays(365);

    public TimeSpan TargetsExpiry { get; init; } = TimeSpan.FromDays(90);

    public TimeSpan SnapshotExpiry { get; init; } = TimeSpan.FromDays(7);

    public TimeSpan TimestampExpiry { get; init; } = TimeSpan.FromDays(1);

    /// <summary>The lifetime of a new version of <paramref name="role"/>; delegated roles use the targets one.</summary>
    public TimeSpan ExpiryFor(string role) => role switch
    {
        "root" => RootExpiry,
        "snapshot" => SnapshotExpiry,
        "timestamp" => TimestampExpiry,
        _ => TargetsExpiry,
    };

    /// <summary>Shortest lifetime a role's metadata may be given.</summary>
    public static readonly TimeSpan MinExpiry = TimeSpan.FromMinutes(1);

    /// <summary>Longest lifetime a role's metadata may be given (also keeps expiry dates representable).</summary>
    public static readonly TimeSpan MaxExpiry = TimeSpan.FromDays(100 * 365);

    /// <summary>The same settings with one role's lifetime replaced; a lifetime outside [<see cref="MinExpiry"/>, <see cref="MaxExpiry"/>] is a <see cref="Crypto.Errors.MalformedInputException"/>.</summary>
    public RepositorySettings WithExpiry(string role, TimeSpan expiry) => expiry < MinExpiry || expiry > MaxExpiry
        ? throw new Enigm.Crypto.Errors.MalformedInputException($"Lifetime {expiry} of {role} is outside 1 minute to 100 years.")
        : role switch
        {
            "root" => this with { RootExpiry = expiry },
            "targets" => this with { TargetsExpiry = expiry },
            "snapshot" => this with { SnapshotExpiry = expiry },
            "timestamp" => this with { TimestampExpiry = expiry },
            _ => throw new ArgumentException($"Unknown role {role}.", nameof(role)),
        };

    internal JsonObjectValue ToJson() => new(
    [
        new("expires", new JsonObjectValue(RootMetadata.TopLevelRoles.Select(r =>
            new KeyValuePair<string, JsonNodeValue>(r, new JsonIntegerValue((long)ExpiryFor(r).TotalSeconds))))),
    ]);

    internal static RepositorySettings FromJson(JsonObjectValue json)
    {
        var settings = new RepositorySettings();
        var expires = json.Required<JsonObjectValue>("expires");
        foreach (var role in RootMetadata.TopLevelRoles)
        {
            var seconds = expires.RequiredInteger(role);
            if (seconds < MinExpiry.TotalSeconds || seconds > MaxExpiry.TotalSeconds)
                throw new Enigm.Crypto.Errors.MalformedInputException($"Expiry of {role} ({seconds} s) is out of range.");
            settings = settings.WithExpiry(role, TimeSpan.FromSeconds(seconds));
        }

        return settings;
    }
}
