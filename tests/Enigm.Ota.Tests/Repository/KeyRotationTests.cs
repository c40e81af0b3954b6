using Enigm.Ota.Client;
using Enigm.Ota.Errors;
using Enigm.Ota.Metadata;
using Enigm.Ota.Repository;
using Xunit;

namespace Enigm.Ota.Tests.Repository;

/// <summary>rotate-key and revoke-key: new root versions a client follows, and what it then rejects.</summary>
public sealed class KeyRotationTests : IDisposable
{
    private readonly RepositoryFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Rotated_root_key_gives_a_root_signed_by_old_and_new_thresholds_that_the_chain_accepts()
    {
        var (repository, alice, bob, online) = _fixture.TwoHolderRepository();
        RepositoryWorkflowTests.SignAll(repository, alice, bob);
        repository.Publish([online]);
        var carol = _fixture.NewSigner();

        var version = repository.RotateKey("root", alice.Key.KeyId, carol.Key);
        repository.Sign("root", [alice, bob]);
        // Old keys alone meet the old threshold (2 of alice, bob) but not the new one (2 of carol, bob).
        Assert.Throws<ThresholdNotMetException>(() => repository.Publish([online]));
        repository.Sign("root", [carol]);
        repository.Publish([online]);

        Assert.Equal(2, version);
        var set = RepositoryClient.Refresh(repository.Layout, RepositoryClient.FirstRoot(repository.Layout));
        Assert.Equal(2, set.Root.Signed.Version);
        Assert.Contains(carol.Key.KeyId, set.Root.Signed.RoleFor("root").KeyIds);
        Assert.DoesNotContain(alice.Key.KeyId, set.Root.Signed.RoleFor("root").KeyIds);
    }

    [Fact]
    public void A_new_root_without_the_old_threshold_is_not_published()
    {
        var (repository, alice, bob, online) = _fixture.TwoHolderRepository();
        RepositoryWorkflowTests.SignAll(repository, alice, bob);
        repository.Publish([online]);
        var carol = _fixture.NewSigner();
        var dave = _fixture.NewSigner();
        repository.RotateKey("root", alice.Key.KeyId, carol.Key);
        repository.RotateKey("root", bob.Key.KeyId, dave.Key);
        repository.Sign("root", [carol, dave]);

        var error = Assert.Throws<ThresholdNotMetException>(() => repository.Publish([online]));
        Assert.Equal("root", error.Role);
    }

    [Fact]
    public void After_revoking_a_targets_key_metadata_it_signs_is_rejected_by_a_client_with_the_new_root()
    {
        var (repository, alice, bob, online) = _fixture.TwoHolderRepository();
        RepositoryWorkflowTests.SignAll(repository, alice, bob);
        repository.Publish([online]);
        var carol = _fixture.NewSigner();

        // Alice's key is compromised: drop it everywhere; the 2-of-2 roles get carol instead.
        var changed = repository.RevokeKey(alice.Key.KeyId, _ => carol.Key);
        Assert.Equal(["root", "targets"], changed.Order(StringComparer.Ordinal));
        repository.Sign("root", [alice, bob, carol]);
        repository.Sign("targets", [bob, carol]);
        repository.Publish([online]);
        var set = RepositoryClient.Refresh(repository.Layout, RepositoryClient.FirstRoot(repository.Layout));
        Assert.DoesNotContain(alice.Key.KeyId, set.Root.Signed.Keys.Keys);

        // The attacker holding alice's key (and bob's, say) signs targets for the new snapshot.
        var forged = Metadata<TargetsMetadata>.Create(set.Targets!.Signed with { Version = 3 });
        forged = forged.WithSignature(alice.Sign(forged.SignedBytes));
        var client = new TrustedMetadataSet(File.ReadAllBytes(repository.Layout.Current("root")), DateTimeOffset.UtcNow);
        var evil = forged.WithSignature(bob.Sign(forged.SignedBytes));
        var bytes = evil.ToBytes();
        var error = Assert.Throws<ThresholdNotMetException>(() => ThresholdVerifier.VerifyThreshold(Metadata<TargetsMetadata>.FromBytes(bytes), client.Root.Signed, "targets"));
        Assert.Equal(1, error.ValidSignatures);
    }

    [Fact]
    public void Revoked_timestamp_key_makes_its_timestamps_fail_the_client()
    {
        var (repository, alice, bob, online) = _fixture.TwoHolderRepository();
        RepositoryWorkflowTests.SignAll(repository, alice, bob);
        repository.Publish([online]);
        var online2 = _fixture.NewSigner();

        repository.RevokeKey(online.Key.KeyId, _ => online2.Key);
        repository.Sign("root", [alice, bob]);
        repository.Publish([online2]);

        // The revoked key signs a "fresh" timestamp; a client that walked to root v2 rejects it.
        var client = new TrustedMetadataSet(RepositoryClient.FirstRoot(repository.Layout), DateTimeOffset.UtcNow);
        client.UpdateRoot(File.ReadAllBytes(repository.Layout.Versioned("root", 2)));
        var stale = Metadata<TimestampMetadata>.FromBytes(File.ReadAllBytes(repository.Layout.Current("timestamp"))).Signed with { Version = 9 };
        var forged = Metadata<TimestampMetadata>.Create(stale);
        forged = forged.WithSignature(online.Sign(forged.SignedBytes));
        Assert.Throws<ThresholdNotMetException>(() => client.UpdateTimestamp(forged.ToBytes()));
        // Publishing with the revoked key is refused too.
        Assert.Throws<ThresholdNotMetException>(() => repository.RefreshTimestamp([online]));
    }

    [Fact]
    public void Revocation_that_would_leave_a_role_below_threshold_needs_a_replacement()
    {
        var (repository, alice, bob, online) = _fixture.TwoHolderRepository();
        RepositoryWorkflowTests.SignAll(repository, alice, bob);
        repository.Publish([online]);
        Assert.Throws<RepositoryException>(() => repository.RevokeKey(alice.Key.KeyId));
        Assert.Throws<RepositoryException>(() => repository.RevokeKey(new string('0', 64)));
    }

    [Fact]
    public void Rotating_the_targets_key_requires_re_signing_targets_before_publishing()
    {
        var (repository, alice, bob, online) = _fixture.TwoHolderRepository();
        RepositoryWorkflowTests.SignAll(repository, alice, bob);
        repository.Publish([online]);
        var carol = _fixture.NewSigner();
        repository.RotateKey("targets", alice.Key.KeyId, carol.Key);
        repository.Sign("root", [alice, bob]);

        Assert.Equal("targets", Assert.Throws<ThresholdNotMetException>(() => repository.Publish([online])).Role);
        repository.Sign("targets", [bob, carol]);
        var result = repository.Publish([online]);

        Assert.Equal((2, 2), (result.RootVersion, result.TargetsVersion));
        RepositoryClient.Refresh(repository.Layout, RepositoryClient.FirstRoot(repository.Layout));
    }
}
