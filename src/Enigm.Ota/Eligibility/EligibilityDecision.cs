namespace Enigm.Ota.Eligibility;

/// <summary>The outcome of one eligibility rule: its name, whether the device passes, and why.</summary>
public sealed record RuleCheck(string Rule, bool Passed, string Reason);

/// <summary>Whether a device may install one release, with the result of every rule.</summary>
public sealed record EligibilityDecision(string Target, ReleaseRules? Rules, IReadOnlyList<RuleCheck> Checks)
{
    public bool Eligible => Checks.Count > 0 && Checks.All(c => c.Passed);

    /// <summary>The reasons of the rules the device fails (empty when eligible).</summary>
    public IReadOnlyList<string> FailedReasons => [.. Checks.Where(c => !c.Passed).Select(c => c.Reason)];
}
