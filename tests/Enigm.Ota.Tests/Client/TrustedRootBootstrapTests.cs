using Enigm.Crypto.Errors;
using Enigm.Ota.Client;
using Enigm.Ota.Errors;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Client;

/// <summary>TUF 5.2: the initial root is verified before it is stored, and the stored root wins afterwards.</summary>
public sealed class TrustedRootBootstrapTests : IDisposable
{
    private readonly RepoWriter _repo = new();

    public void Dispose() => _repo.Dispose();

    private TrustedMetadataStore Store => new(_repo.StateDir);

    [Fact]
    public void Stores_a_root_signed_by_its_own_threshold_once()
    {
        Assert.True(TrustedRootBootstrap.Ensure(Store, _repo.RootBytes(1)));
        Assert.Equal(_repo.RootBytes(1), Store.Load("root"));

        // Later runs never read the initial root again.
        Assert.False(TrustedRootBootstrap.Ensure(Store, () => throw new InvalidOperationException("read")));
    }

    [Fact]
    public void The_stored_root_wins_over_an_older_initial_root_after_a_rotation()
    {
        _repo.WriteRoot(_repo.Keys.Root(2), _repo.Keys.RootSigners[0], _repo.Keys.RootSigners[1]);
        _repo.Publish();
        TrustedRootBootstrap.Ensure(Store, _repo.RootBytes(1));
        new Updater(new DirectoryFetcher(_repo.RepoDir), Store).Refresh(TestRepository.Now);

        TrustedRootBootstrap.Ensure(Store, _repo.RootBytes(1));

        Assert.Equal(2, TrustedRootBootstrap.LoadStored(Store, TestRepository.Now).Root.Signed.Version);
    }

    [Fact]
    public void Refuses_an_initial_root_below_its_threshold_and_stores_nothing()
    {
        var oneSignature = TestRepository.Sign(_repo.Keys.Root(1), _repo.Keys.RootSigners[0]);
        Assert.Throws<ThresholdNotMetException>(() => TrustedRootBootstrap.Ensure(Store, oneSignature));
        Assert.False(Store.HasRoot);
    }

    [Fact]
    public void Refuses_an_initial_root_that_is_not_root_metadata_and_stores_nothing()
    {
        var e = Assert.Throws<MalformedInputException>(() => TrustedRootBootstrap.Ensure(Store, "{}"u8.ToArray()));
        Assert.Contains("initial root", e.Message, StringComparison.Ordinal);
        Assert.False(Store.HasRoot);
    }

    [Fact]
    public void Without_a_stored_or_initial_root_there_is_nothing_to_trust()
    {
        Assert.Throws<RepositoryException>(() => TrustedRootBootstrap.Ensure(Store, (Func<byte[]>?)null));
        Assert.Throws<RepositoryException>(() => TrustedRootBootstrap.LoadStored(Store, TestRepository.Now));
    }

    [Fact]
    public void A_damaged_stored_root_is_reported_as_damaged_local_state()
    {
        Store.Save("root", "not json"u8);
        var e = Assert.Throws<MalformedInputException>(() => TrustedRootBootstrap.LoadStored(Store, TestRepository.Now));
        Assert.Contains("stored trusted root", e.Message, StringComparison.Ordinal);
    }
}
