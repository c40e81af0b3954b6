using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Ota.Client;
using Xunit;

namespace Enigm.Ota.Tests.Threats;

/// <summary>
/// An algorithm retired by policy (for example Ed25519 alone once a fleet moves to post-quantum keys):
/// metadata signed only with such keys is refused with its own error, not trusted and not reported
/// as a mere bad signature.
/// </summary>
public sealed class RefusedSuiteTests : ThreatTestBase
{
    [Fact]
    public void Refuses_metadata_signed_only_with_keys_the_policy_refuses()
    {
        Repo.Publish();
        var store = new TrustedMetadataStore(Repo.StateDir);
        store.Save("root", Repo.RootBytes(1));
        var policy = SuitePolicy.Default.RefuseAlgorithm(SignatureAlgorithm.Ed25519);

        var updater = new Updater(new DirectoryFetcher(Repo.RepoDir), store) { Policy = policy };

        var e = Assert.Throws<SuiteRefusedException>(() => updater.Refresh());
        Assert.Contains("Ed25519", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_repository_verifies_under_the_default_policy()
    {
        Repo.Publish();
        var trusted = Repo.Updater().Refresh();
        Assert.NotNull(trusted.Targets);
    }
}
