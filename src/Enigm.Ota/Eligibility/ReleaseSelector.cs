using Enigm.Crypto.Errors;
using Enigm.Ota.Client;
using Enigm.Ota.Errors;

namespace Enigm.Ota.Eligibility;

/// <summary>A target the trusted metadata lists, with the device's eligibility for it.</summary>
public sealed record ReleaseCandidate(ResolvedTarget Target, EligibilityDecision Decision);

/// <summary>
/// Release selection on top of the TUF target search: the eligibility of each target for a device,
/// and the automatic choice of the newest eligible release. Only targets with Enigm release rules
/// are releases; a plain TUF target is fetched by name.
/// </summary>
public static class ReleaseSelector
{
    /// <summary>
    /// The device's eligibility for <paramref name="target"/>. Rules that do not parse (a release
    /// built by hand) make that one target ineligible with the reason, instead of failing the check
    /// of every other target.
    /// </summary>
    public static ReleaseCandidate Evaluate(DeviceProfile device, ResolvedTarget target)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(target);
        ReleaseRules? rules;
        try
        {
            rules = ReleaseRules.FromCustom(target.File.Custom);
        }
        catch (MalformedInputException e)
        {
            return new(target, new EligibilityDecision(target.Path, null, [new RuleCheck("release", false, $"malformed Enigm release rules: {e.Message}")]));
        }

        return new(target, EligibilityEvaluator.Evaluate(device, target.Path, rules));
    }

    /// <summary>
    /// The newest (by dotted version) eligible release among <paramref name="candidates"/>. Fails with
    /// <see cref="TargetNotFoundException"/> when no target carries release rules, and with
    /// <see cref="IneligibleDeviceException"/> (every reason) when none is eligible.
    /// </summary>
    public static ReleaseCandidate ChooseNewest(IReadOnlyList<ReleaseCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var releases = candidates.Where(c => c.Decision.HasRules).ToList();
        if (releases.Count == 0)
        {
            var malformed = candidates.Where(c => !c.Decision.Eligible).ToList();
            if (malformed.Count > 0)
                throw new IneligibleDeviceException("any release", [.. malformed.Select(c => $"{c.Target.Path}: {string.Join(", ", c.Decision.FailedReasons)}")]);
            throw new TargetNotFoundException("any release", candidates.Count == 0
                ? "The trusted targets metadata lists no targets, so there is no release to fetch."
                : $"None of the {candidates.Count} trusted target(s) carries Enigm release rules (custom.enigm), so none can be chosen automatically; fetch one by name (enigm update fetch --target NAME), e.g. {Names(candidates)}.");
        }

        var eligible = releases.Where(r => r.Decision.Eligible).ToList();
        if (eligible.Count == 0)
            throw new IneligibleDeviceException("any release", [.. releases.Select(r => $"{r.Target.Path}: {string.Join(", ", r.Decision.FailedReasons)}")]);
        // Eligible releases passed the "newer" rule, so their versions parse.
        return eligible.OrderByDescending(r => DottedVersion.Parse(r.Decision.Rules!.Version, "Release version"), Comparer<int[]>.Create(DottedVersion.Compare)).First();
    }

    private static string Names(IReadOnlyList<ReleaseCandidate> candidates) =>
        string.Join(", ", candidates.Take(3).Select(c => c.Target.Path)) + (candidates.Count > 3 ? ", …" : "");
}
