using Enigm.Ota.Errors;

namespace Enigm.Ota.Eligibility;

/// <summary>
/// Evaluates a release's <see cref="ReleaseRules"/> (signed, from the target's custom object) for a
/// <see cref="DeviceProfile"/>. Every rule is evaluated and explained, pass or fail, in this order:
/// channel, model, newer (release version above the installed one), min_version, min_os,
/// require_trust, rollout (<see cref="RolloutBucket"/>). A release version the rules cannot parse
/// fails its rule rather than being guessed at. A target without rules gets
/// <see cref="EligibilityDecision.WithoutRules"/>.
/// </summary>
public static class EligibilityEvaluator
{
    public static EligibilityDecision Evaluate(DeviceProfile device, string targetName, ReleaseRules? rules)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(targetName);
        // A plain TUF target: nothing restricts it, as for any TUF client; it is fetched only by name.
        if (rules is null) return EligibilityDecision.WithoutRules(targetName);

        var installed = DottedVersion.Parse(device.InstalledVersion, "Device installed_version");
        var os = DottedVersion.Parse(device.OsVersion, "Device os_version");
        var checks = new List<RuleCheck>
        {
            rules.Channel == device.Channel
                ? new("channel", true, $"channel {device.Channel} matches")
                : new("channel", false, $"release is for channel {rules.Channel}, device is on {device.Channel}"),
            rules.Models.Count == 0
                ? new("model", true, "release is for every model")
                : rules.Models.Contains(device.Model, StringComparer.Ordinal)
                    ? new("model", true, $"model {device.Model} is listed")
                    : new("model", false, $"model {device.Model} is not among {string.Join(", ", rules.Models)}"),
            CompareRule("newer", rules.Version, installed, (release, inst) => release > inst,
                $"release {rules.Version} is newer than installed {device.InstalledVersion}",
                $"release {rules.Version} is not newer than installed {device.InstalledVersion}"),
        };
        if (rules.MinVersion is { } minVersion)
            checks.Add(CompareRule("min_version", minVersion, installed, (min, inst) => inst >= min,
                $"installed {device.InstalledVersion} is at least {minVersion}",
                $"installed {device.InstalledVersion} is below the minimum {minVersion}"));
        if (rules.MinOs is { } minOs)
            checks.Add(CompareRule("min_os", minOs, os, (min, dev) => dev >= min,
                $"OS {device.OsVersion} is at least {minOs}",
                $"OS {device.OsVersion} is below the minimum {minOs}"));
        if (rules.RequireTrust is { } requiredTrust)
            checks.Add(RequireTrust(requiredTrust, device));

        var bucket = RolloutBucket.Of(device.Id, targetName, rules.Version);
        checks.Add(RolloutBucket.IsIn(bucket, rules.RolloutPercent)
            ? new("rollout", true, $"rollout bucket {bucket} is below {rules.RolloutPercent * 100} ({rules.RolloutPercent}%)")
            : new("rollout", false, $"rollout bucket {bucket} is not below {rules.RolloutPercent * 100} ({rules.RolloutPercent}%)"));
        return new(targetName, rules, checks);
    }

    /// <summary>Throws <see cref="IneligibleDeviceException"/> with every failed reason unless the device is eligible.</summary>
    public static void Require(EligibilityDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (!decision.Eligible) throw new IneligibleDeviceException(decision.Target, decision.FailedReasons);
    }

    /// <summary>
    /// issue 14 (docs/policy.md, "OTA"): <c>require_trust: compliant</c> admits only a managed device the organisation
    /// policy finds compliant, <c>require_trust: warning</c> also one in the warning state (neither admits a restricted or
    /// revoked one, nor an unmanaged device); any other value is a trust state compared with the device's.
    /// </summary>
    private static RuleCheck RequireTrust(string required, DeviceProfile device)
    {
        if (required is "compliant" or "warning")
        {
            var state = device.ComplianceState ?? "unmanaged";
            var passes = state == "compliant" || (required == "warning" && state == "warning");
            return passes
                ? new("require_trust", true, $"device compliance state is {state}")
                : new("require_trust", false, $"release requires a {required} device, device is {state}");
        }

        return required == device.TrustState
            ? new("require_trust", true, $"device trust state is {required}")
            : new("require_trust", false, $"release requires trust state {required}, device is {device.TrustState}");
    }

    /// <summary>
    /// A rule comparing the release-side version <paramref name="ruleVersion"/> with a device version;
    /// <paramref name="passes"/> gets (rule side, device side) as a comparison sign.
    /// </summary>
    private static RuleCheck CompareRule(string rule, string ruleVersion, int[] deviceVersion, Func<int, int, bool> passes, string pass, string fail)
    {
        if (!DottedVersion.TryParse(ruleVersion, out var parsed))
            return new(rule, false, $"release {rule} \"{ruleVersion}\" is not a dotted numeric version");
        var sign = DottedVersion.Compare(parsed, deviceVersion);
        return passes(sign, 0) ? new(rule, true, pass) : new(rule, false, fail);
    }
}
