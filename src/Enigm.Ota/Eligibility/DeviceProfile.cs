using Enigm.Crypto.Errors;
using Enigm.Ota.Metadata;

namespace Enigm.Ota.Eligibility;

/// <summary>
/// What an updater knows about the device it runs on: the <c>--device FILE</c> of
/// <c>enigm update</c>, a small JSON object:
/// <code>
/// { "id": "dev-7f3a", "model": "m1", "channel": "stable", "installed_version": "2.0.0",
///   "os_version": "13.2", "trust_state": "verified" }
/// </code>
/// </summary>
public sealed record DeviceProfile
{
    /// <summary>Largest device file accepted (it is local, but still parsed strictly).</summary>
    public const int MaxBytes = 64 * 1024;

    public required string Id { get; init; }

    public required string Model { get; init; }

    public required string Channel { get; init; }

    public required string InstalledVersion { get; init; }

    public required string OsVersion { get; init; }

    /// <summary>unverified, verified, changed or revoked (Enigm.Trust's states).</summary>
    public string TrustState { get; init; } = "unverified";

    /// <summary>
    /// issue 14: the managed device's compliance state (compliant, warning, restricted, revoked-by-organisation;
    /// docs/policy.md "OTA"), which <c>require_trust</c> values of those names compare against; null when not managed.
    /// </summary>
    public string? ComplianceState { get; init; }

    public static DeviceProfile Parse(ReadOnlySpan<byte> json)
    {
        var o = CanonicalJson.ParseObject(json, MaxBytes);
        foreach (var name in new[] { "id", "model", "channel", "installed_version", "os_version" })
            RequireNonEmpty(o.RequiredString(name), name);
        // Checked here too, so a bad device file fails even where no release rule compares versions.
        _ = DottedVersion.Parse(o.RequiredString("installed_version"), "Device installed_version");
        _ = DottedVersion.Parse(o.RequiredString("os_version"), "Device os_version");
        return new DeviceProfile
        {
            Id = o.RequiredString("id"),
            Model = o.RequiredString("model"),
            Channel = o.RequiredString("channel"),
            InstalledVersion = o.RequiredString("installed_version"),
            OsVersion = o.RequiredString("os_version"),
            TrustState = o.Optional<JsonStringValue>("trust_state")?.Value ?? "unverified",
            ComplianceState = o.Optional<JsonStringValue>("compliance_state")?.Value, // issue 14
        };
    }

    public byte[] ToJson()
    {
        var members = new List<KeyValuePair<string, JsonNodeValue>>
        {
            new("id", new JsonStringValue(Id)),
            new("model", new JsonStringValue(Model)),
            new("channel", new JsonStringValue(Channel)),
            new("installed_version", new JsonStringValue(InstalledVersion)),
            new("os_version", new JsonStringValue(OsVersion)),
            new("trust_state", new JsonStringValue(TrustState)),
        };
        // issue 14: only a managed device carries its compliance state.
        if (ComplianceState is not null) members.Add(new("compliance_state", new JsonStringValue(ComplianceState)));
        return CanonicalJson.Serialize(new JsonObjectValue(members));
    }

    private static void RequireNonEmpty(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new MalformedInputException($"Device {name} is empty.");
    }
}
