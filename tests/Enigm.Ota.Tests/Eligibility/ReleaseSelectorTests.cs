using Enigm.Ota.Client;
using Enigm.Ota.Eligibility;
using Enigm.Ota.Errors;
using Enigm.Ota.Metadata;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Eligibility;

public sealed class ReleaseSelectorTests
{
    private static readonly DeviceProfile Device = new() { Id = "d1", Model = "m1", Channel = "stable", InstalledVersion = "1.0", OsVersion = "13" };

    private static ReleaseCandidate Candidate(string path, JsonObjectValue? custom) =>
        ReleaseSelector.Evaluate(Device, new ResolvedTarget(path, RepoWriter.FileOf([1, 2, 3], custom), "targets"));

    private static JsonObjectValue Release(string version, string channel = "stable") =>
        new ReleaseRules { Version = version, Channel = channel }.ToCustom();

    [Fact]
    public void Chooses_the_newest_eligible_release_by_dotted_version_and_never_a_plain_target()
    {
        var chosen = ReleaseSelector.ChooseNewest([Candidate("plain.bin", null), Candidate("a-2.9.bin", Release("2.9")), Candidate("a-2.10.bin", Release("2.10")), Candidate("beta.bin", Release("9.0", "beta"))]);
        Assert.Equal("a-2.10.bin", chosen.Target.Path);
    }

    [Fact]
    public void Without_any_release_rules_the_error_says_to_name_a_target()
    {
        var e = Assert.Throws<TargetNotFoundException>(() => ReleaseSelector.ChooseNewest([Candidate("plain.bin", null)]));
        Assert.Contains("--target", e.Message, StringComparison.Ordinal);
        Assert.Contains("plain.bin", e.Message, StringComparison.Ordinal);
        Assert.Contains("no targets", Assert.Throws<TargetNotFoundException>(() => ReleaseSelector.ChooseNewest([])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void When_no_release_is_eligible_every_reason_is_given()
    {
        var e = Assert.Throws<IneligibleDeviceException>(() => ReleaseSelector.ChooseNewest([Candidate("beta.bin", Release("9.0", "beta")), Candidate("old.bin", Release("0.9"))]));
        Assert.Equal(2, e.Reasons.Count);
    }

    [Fact]
    public void Malformed_release_rules_make_only_that_target_ineligible()
    {
        var malformed = new JsonObjectValue([new(ReleaseRules.CustomKey, new JsonObjectValue([new("version", new JsonStringValue("2.0"))]))]);
        var bad = Candidate("bad.bin", malformed);
        Assert.False(bad.Decision.Eligible);
        Assert.Contains("malformed Enigm release rules", bad.Decision.FailedReasons.Single(), StringComparison.Ordinal);

        Assert.Equal("good.bin", ReleaseSelector.ChooseNewest([bad, Candidate("good.bin", Release("2.0"))]).Target.Path);
        Assert.Throws<IneligibleDeviceException>(() => ReleaseSelector.ChooseNewest([bad]));
    }
}
