using Enigm.Crypto.Errors;
using Enigm.Ota.Eligibility;
using Enigm.Ota.Errors;
using Xunit;

namespace Enigm.Ota.Tests.Eligibility;

public sealed class EligibilityEvaluatorTests
{
    private static readonly DeviceProfile Device = new()
    {
        Id = "dev-7f3a",
        Model = "m1",
        Channel = "stable",
        InstalledVersion = "2.0.0",
        OsVersion = "13.2",
        TrustState = "verified",
    };

    private static readonly ReleaseRules Rules = new()
    {
        Version = "2.1.0",
        Channel = "stable",
        Models = ["m1", "m2"],
        MinOs = "13.0",
        MinVersion = "2.0.0",
        RolloutPercent = 100,
        RequireTrust = "verified",
    };

    public static TheoryData<string, string, string> Matrix => new()
    {
        // rule that fails, device or rules change (field=value), expected reason fragment
        { "channel", "device.channel=beta", "release is for channel stable, device is on beta" },
        { "model", "device.model=m9", "model m9 is not among m1, m2" },
        { "newer", "device.installed_version=2.1.0", "is not newer than installed 2.1.0" },
        { "newer", "device.installed_version=2.10", "is not newer than installed 2.10" },
        { "min_version", "rules.min_version=2.0.1", "installed 2.0.0 is below the minimum 2.0.1" },
        { "min_os", "device.os_version=12.9", "OS 12.9 is below the minimum 13.0" },
        { "require_trust", "device.trust_state=changed", "release requires trust state verified, device is changed" },
        { "rollout", "rules.rollout=0", "is not below 0 (0%)" },
        { "newer", "rules.version=2.x", "is not a dotted numeric version" },
    };

    [Fact]
    public void Device_meeting_every_rule_is_eligible_with_a_reason_per_rule()
    {
        var decision = EligibilityEvaluator.Evaluate(Device, "app.bin", Rules);
        Assert.True(decision.Eligible);
        Assert.Equal(["channel", "model", "newer", "min_version", "min_os", "require_trust", "rollout"], decision.Checks.Select(c => c.Rule));
        Assert.All(decision.Checks, c => Assert.False(string.IsNullOrEmpty(c.Reason)));
        EligibilityEvaluator.Require(decision);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Each_rule_alone_makes_the_device_ineligible_and_says_why(string rule, string change, string reason)
    {
        var (device, rules) = Apply(change);
        var decision = EligibilityEvaluator.Evaluate(device, "app.bin", rules);
        Assert.False(decision.Eligible);
        var failed = Assert.Single(decision.Checks, c => !c.Passed);
        Assert.Equal(rule, failed.Rule);
        Assert.Contains(reason, failed.Reason, StringComparison.Ordinal);
        var e = Assert.Throws<IneligibleDeviceException>(() => EligibilityEvaluator.Require(decision));
        Assert.Contains(reason, e.Reasons.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Absent_optional_rules_do_not_restrict()
    {
        var rules = new ReleaseRules { Version = "3", Channel = "stable" };
        var decision = EligibilityEvaluator.Evaluate(Device with { Model = "anything", TrustState = "unverified" }, "app.bin", rules);
        Assert.True(decision.Eligible);
        Assert.Equal(["channel", "model", "newer", "rollout"], decision.Checks.Select(c => c.Rule));
    }

    [Fact]
    public void A_target_without_rules_has_no_eligibility_rules_and_is_not_a_release()
    {
        var decision = EligibilityEvaluator.Evaluate(Device, "readme.txt", null);
        Assert.True(decision.Eligible);
        Assert.False(decision.HasRules);
        Assert.Equal("no eligibility rules", decision.Checks.Single().Reason);
    }

    [Fact]
    public void Rejects_a_device_with_a_malformed_version()
    {
        Assert.Throws<MalformedInputException>(() => EligibilityEvaluator.Evaluate(Device with { OsVersion = "13.2-beta" }, "app.bin", Rules));
    }

    [Fact]
    public void Rules_round_trip_through_the_target_custom_object()
    {
        var read = ReleaseRules.FromCustom(Rules.ToCustom())!;
        Assert.Equal(Rules, read with { Models = Rules.Models });
        Assert.Equal(Rules.Models, read.Models);
    }

    private static (DeviceProfile Device, ReleaseRules Rules) Apply(string change)
    {
        var (field, value) = (change[..change.IndexOf('=', StringComparison.Ordinal)], change[(change.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        return field switch
        {
            "device.channel" => (Device with { Channel = value }, Rules),
            "device.model" => (Device with { Model = value }, Rules),
            "device.installed_version" => (Device with { InstalledVersion = value }, Rules),
            "device.os_version" => (Device with { OsVersion = value }, Rules),
            "device.trust_state" => (Device with { TrustState = value }, Rules),
            "rules.min_version" => (Device, Rules with { MinVersion = value }),
            "rules.rollout" => (Device, Rules with { RolloutPercent = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) }),
            "rules.version" => (Device, Rules with { Version = value }),
            _ => throw new ArgumentException(change),
        };
    }
}
