using Enigm.Crypto.Errors;
using Enigm.Ota.Metadata;

namespace Enigm.Ota.Eligibility;

/// <summary>
/// The eligibility rules of one release, carried in its target's TUF <c>custom</c> object under
/// <c>"enigm"</c> (TUF 4.5 leaves "custom" to the application). They are covered by the targets
/// signature, so a device can trust them as much as the artifact's hashes. This is the contract
/// between <c>enigm release add</c> (which writes them) and the updater (which evaluates them).
/// <code>
/// "custom": { "enigm": { "version": "2.1.0", "channel": "stable", "models": ["m1"],
///             "min_os": "13.0", "min_version": "2.0.0", "rollout": 25, "require_trust": "verified" } }
/// </code>
/// Absent optional members mean "no restriction"; <c>models</c> empty or absent means every model.
/// </summary>
public sealed record ReleaseRules
{
    public const string CustomKey = "enigm";

    /// <summary>The release's own version (dotted numeric, e.g. 2.1.0).</summary>
    public required string Version { get; init; }

    public required string Channel { get; init; }

    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Lowest device OS version allowed, or null.</summary>
    public string? MinOs { get; init; }

    /// <summary>Lowest installed version that may update to this release, or null.</summary>
    public string? MinVersion { get; init; }

    /// <summary>Staged rollout percentage, 0–100.</summary>
    public int RolloutPercent { get; init; } = 100;

    /// <summary>Device trust state required (e.g. "verified"), or null.</summary>
    public string? RequireTrust { get; init; }

    public JsonObjectValue ToCustom()
    {
        var rules = new List<KeyValuePair<string, JsonNodeValue>>
        {
            new("version", new JsonStringValue(Version)),
            new("channel", new JsonStringValue(Channel)),
            new("rollout", new JsonIntegerValue(RolloutPercent)),
        };
        if (Models.Count > 0) rules.Add(new("models", new JsonArrayValue(Models.Select(m => (JsonNodeValue)new JsonStringValue(m)).ToList())));
        if (MinOs is not null) rules.Add(new("min_os", new JsonStringValue(MinOs)));
        if (MinVersion is not null) rules.Add(new("min_version", new JsonStringValue(MinVersion)));
        if (RequireTrust is not null) rules.Add(new("require_trust", new JsonStringValue(RequireTrust)));
        return new JsonObjectValue([new(CustomKey, new JsonObjectValue(rules))]);
    }

    /// <summary>Reads the rules from a target's custom object; null when the target carries none.</summary>
    public static ReleaseRules? FromCustom(JsonObjectValue? custom)
    {
        var rules = custom?.Optional<JsonObjectValue>(CustomKey);
        if (rules is null) return null;
        var rollout = rules.RequiredInteger("rollout");
        if (rollout is < 0 or > 100) throw new MalformedInputException($"Rollout {rollout} is not a percentage.");
        return new ReleaseRules
        {
            Version = rules.RequiredString("version"),
            Channel = rules.RequiredString("channel"),
            Models = rules.Optional<JsonArrayValue>("models")?
                .Select(m => (m as JsonStringValue)?.Value ?? throw new MalformedInputException("A model is not a string."))
                .ToList() ?? [],
            MinOs = rules.Optional<JsonStringValue>("min_os")?.Value,
            MinVersion = rules.Optional<JsonStringValue>("min_version")?.Value,
            RolloutPercent = (int)rollout,
            RequireTrust = rules.Optional<JsonStringValue>("require_trust")?.Value,
        };
    }
}
