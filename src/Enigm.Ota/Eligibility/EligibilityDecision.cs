namespace Enigm.Ota.Eligibility;

/// <summary>The outcome of one eligibility rule: its name, whether the device passes, and why.</summary>
public sealed record RuleCheck(string Rule, bool Passed, string Reason);

/// <summary>
/// Whether a device may install one target, with the result of every rule. A target without Enigm
/// release rules (<see cref="HasRules"/> false: a plain TUF target, e.g. from a repository made by
/// another TUF implementation) has nothing to fail, so it is eligible when asked for by name, but
/// automatic release selection never picks it (<see cref="ReleaseSelector"/>).
/// </summary>
public sealed record EligibilityDecision(string Target, ReleaseRules? Rules, IReadOnlyList<RuleCheck> Checks)
{
    /// <summary>The rule name of the single check of a target without Enigm release rules.</summary>
    public const string NoRulesCheck = "rules";

    /// <summary>The reason given for a target without Enigm release rules.</summary>
    public const string NoRulesReason = "no eligibility rules";

    public bool Eligible => Checks.Count > 0 && Checks.All(c => c.Passed);

    /// <summary>True when the target carries Enigm release rules (<c>custom.enigm</c>), so it is a release that can be chosen automatically.</summary>
    public bool HasRules => Rules is not null;

    /// <summary>The reasons of the rules the device fails (empty when eligible).</summary>
    public IReadOnlyList<string> FailedReasons => [.. Checks.Where(c => !c.Passed).Select(c => c.Reason)];

    /// <summary>The decision for a target that carries no Enigm release rules.</summary>
    public static EligibilityDecision WithoutRules(string target) =>
        new(target, null, [new RuleCheck(NoRulesCheck, true, NoRulesReason)]);
}
