using Enigm.Ota.Errors;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Client;

/// <summary>Root rotation through the updater (TUF 5.3): chains, key removal, the per-cycle cap.</summary>
public sealed class RootRotationTests : IDisposable
{
    private readonly RepoWriter _repo = new();

    public RootRotationTests() => _repo.AddTarget("a.bin", [1]);

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void Follows_a_chain_that_replaces_every_root_key_and_persists_it()
    {
        var keys = _repo.Keys;
        var old = keys.RootSigners;
        keys.RootSigners = [keys.NewSigner(), keys.NewSigner(), keys.NewSigner()];
        // Version 2: signed by the old threshold and the new threshold.
        _repo.WriteRoot(keys.Root(2), old[0], old[1], keys.RootSigners[0], keys.RootSigners[1]);
        _repo.Publish();

        Assert.Equal(2, _repo.Updater().Refresh().Root.Signed.Version);
        Assert.Equal(_repo.RootBytes(2), File.ReadAllBytes(Path.Combine(_repo.StateDir, "root.json")));
    }

    [Fact]
    public void Rejects_a_new_root_not_signed_by_the_old_threshold()
    {
        var keys = _repo.Keys;
        keys.RootSigners = [keys.NewSigner(), keys.NewSigner(), keys.NewSigner()];
        _repo.WriteRoot(keys.Root(2), keys.RootSigners[0], keys.RootSigners[1]);
        _repo.Publish();
        var e = Assert.Throws<ThresholdNotMetException>(() => _repo.Updater().Refresh());
        Assert.Equal("root", e.Role);
    }

    [Fact]
    public void Removing_a_compromised_root_key_stops_it_from_signing_later_roots()
    {
        var keys = _repo.Keys;
        var signers = keys.RootSigners;
        var compromised = signers[2];
        var replacement = keys.NewSigner();
        // v2: same keys; v3: the compromised key is replaced; signed by v2's and v3's thresholds.
        _repo.WriteRoot(keys.Root(2), signers[0], signers[1]);
        keys.RootSigners = [signers[0], signers[1], replacement];
        _repo.WriteRoot(keys.Root(3), signers[0], compromised, replacement);
        _repo.Publish();
        Assert.Equal(3, _repo.Updater().Refresh().Root.Signed.Version);

        // The removed key plus one current key: one valid signature of the trusted root, threshold 2.
        var attacker = keys.NewSigner();
        keys.RootSigners = [compromised, attacker];
        keys.RootThreshold = 1;
        _repo.WriteRoot(keys.Root(4), compromised, attacker, signers[0]);
        var e = Assert.Throws<ThresholdNotMetException>(() => _repo.Updater().Refresh());
        Assert.Equal(1, e.ValidSignatures);
    }

    [Fact]
    public void Rejects_a_root_that_skips_a_version()
    {
        var bytes = TestRepository.Sign(_repo.Keys.Root(3), _repo.Keys.RootSigners[0], _repo.Keys.RootSigners[1]);
        _repo.Write("2.root.json", bytes);
        _repo.Publish();
        Assert.Throws<BadVersionNumberException>(() => _repo.Updater().Refresh());
    }

    [Fact]
    public void Fetches_at_most_32_new_roots_per_cycle()
    {
        for (var v = 2; v <= 35; v++) _repo.WriteRoot(_repo.Keys.Root(v), _repo.Keys.RootSigners[0], _repo.Keys.RootSigners[1]);
        _repo.Publish();
        Assert.Equal(33, _repo.Updater().Refresh().Root.Signed.Version);
        Assert.Equal(35, _repo.Updater().Refresh().Root.Signed.Version);
    }
}
