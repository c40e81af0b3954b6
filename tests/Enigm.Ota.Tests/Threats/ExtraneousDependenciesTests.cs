using Enigm.Ota.Errors;
using Enigm.Ota.Tests.Client;
using Xunit;

namespace Enigm.Ota.Tests.Threats;

/// <summary>
/// Extraneous dependencies: an attacker (here a delegated role's key holder) tries to make the
/// device install files nobody entitled to them vouched for.
/// </summary>
public sealed class ExtraneousDependenciesTests : ThreatTestBase
{
    [Fact]
    public void Refuses_a_target_listed_by_a_role_not_trusted_for_its_path()
    {
        var apps = Repo.Keys.NewSigner();
        Repo.Delegated.Add((UpdaterTests.Role("apps", apps, ["apps/*"], terminating: false), apps,
            new() { ["apps/ok.bin"] = [1], ["system/rootkit.bin"] = [6, 6, 6] }));
        Repo.Publish();
        var updater = Repo.Updater();
        updater.Refresh();

        Assert.Equal("apps", updater.RequireTarget("apps/ok.bin").Role);
        var e = Assert.Throws<TargetNotFoundException>(() => updater.RequireTarget("system/rootkit.bin"));
        Assert.Equal("system/rootkit.bin", e.Target);
        Assert.DoesNotContain(updater.ListTargets(), t => t.Path == "system/rootkit.bin");
    }

    [Fact]
    public void Refuses_a_file_present_in_the_repository_but_in_no_metadata()
    {
        Repo.Publish();
        Repo.Write("libextra.so", [1, 2, 3]);
        var updater = Repo.Updater();
        updater.Refresh();
        Assert.Throws<TargetNotFoundException>(() => updater.RequireTarget("libextra.so"));
    }
}
