using Enigm.Ota.Errors;
using Enigm.Ota.Metadata;
using Enigm.Ota.Repository;
using Xunit;

namespace Enigm.Ota.Tests.Repository;

/// <summary>Delegated targets roles: paths, threshold, terminating, and their own metadata files.</summary>
public sealed class DelegationTests : IDisposable
{
    private readonly RepositoryFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Delegation_is_written_with_paths_threshold_and_terminating_and_verifies()
    {
        var (repository, alice, bob, online) = _fixture.TwoHolderRepository();
        var vendor1 = _fixture.NewSigner();
        var vendor2 = _fixture.NewSigner();
        repository.Delegate("vendor-x", RepositoryFixture.Spec(1, vendor1, vendor2), ["vendor-x/*"], terminating: true);
        repository.AddTarget(_fixture.Artifact("v", "vendor build"), "vendor-x/driver.bin", null, "vendor-x");
        repository.Sign("root", [alice, bob]);
        repository.Sign("targets", [alice, bob]);
        repository.Sign("vendor-x", [vendor2]);
        repository.Publish([online]);

        var targetsJson = CanonicalJson.ParseObject(File.ReadAllBytes(repository.Layout.Versioned("targets", 1)));
        var role = (JsonObjectValue)targetsJson.Required<JsonObjectValue>("signed").Required<JsonObjectValue>("delegations").Required<JsonArrayValue>("roles")[0];
        Assert.Equal("vendor-x", role.RequiredString("name"));
        Assert.True(role.RequiredBool("terminating"));
        Assert.Equal(1, role.RequiredInteger("threshold"));
        Assert.Equal("vendor-x/*", ((JsonStringValue)role.Required<JsonArrayValue>("paths")[0]).Value);
        Assert.Equal(2, role.Required<JsonArrayValue>("keyids").Count);
        Assert.True(File.Exists(repository.Layout.Versioned("vendor-x", 1)));

        var set = RepositoryClient.Refresh(repository.Layout, RepositoryClient.FirstRoot(repository.Layout));
        Assert.True(set.TargetsRoles["vendor-x"].Signed.Targets.ContainsKey("vendor-x/driver.bin"));
    }

    [Fact]
    public void A_delegated_role_may_not_add_targets_outside_its_paths()
    {
        var (repository, _, _, _) = _fixture.TwoHolderRepository();
        repository.Delegate("vendor-x", RepositoryFixture.Spec(1, _fixture.NewSigner()), ["vendor-x/*"], terminating: false);
        Assert.Throws<RepositoryException>(() => repository.AddTarget(_fixture.Artifact("o", "other"), "other/app.bin", null, "vendor-x"));
        Assert.Throws<RepositoryException>(() => repository.AddTarget(_fixture.Artifact("o", "other"), "x.bin", null, "nobody"));
    }

    [Fact]
    public void An_unsigned_delegated_role_blocks_the_publish()
    {
        var (repository, alice, bob, online) = _fixture.TwoHolderRepository();
        repository.Delegate("vendor-x", RepositoryFixture.Spec(1, _fixture.NewSigner()), ["vendor-x/*"], terminating: false);
        repository.Sign("root", [alice, bob]);
        repository.Sign("targets", [alice, bob]);
        Assert.Equal("vendor-x", Assert.Throws<ThresholdNotMetException>(() => repository.Publish([online])).Role);
    }

    [Theory]
    [InlineData("vendor-x/*", "vendor-x/a.bin", true)]
    [InlineData("vendor-x/*", "vendor-x/sub/a.bin", false)]
    [InlineData("*.bin", "a.bin", true)]
    [InlineData("app-?.bin", "app-1.bin", true)]
    [InlineData("app-?.bin", "app-10.bin", false)]
    public void Path_patterns_match_like_tuf_paths(string pattern, string path, bool matches) =>
        Assert.Equal(matches, PathPattern.Matches(pattern, path));
}
