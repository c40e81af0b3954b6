using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Ota.Client;
using Enigm.Ota.Eligibility;
using Enigm.Ota.Errors;
using Enigm.Ota.Metadata;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Threats;

/// <summary>
/// The suite policy decides on the keys a role actually relies on (docs/crypto-core.md, "Suite policy"):
/// a TUF key of a refused algorithm counts zero toward its role's threshold, a composite key counts
/// while one of its halves is accepted and it is not refused by name.
/// </summary>
public sealed class AlgorithmRefusalTests
{
    private static readonly byte[] Release = "release payload"u8.ToArray();

    private static SuitePolicy Refusing(params CryptoAlgorithm[] algorithms) =>
        algorithms.Aggregate(SuitePolicy.Default, (p, a) => p.RefuseAlgorithm(a));

    /// <summary>A published repository whose every role key is of <paramref name="algorithm"/>.</summary>
    internal static RepoWriter SignedWith(SignatureAlgorithm algorithm)
    {
        var repo = new RepoWriter();
        var keys = repo.Keys;
        keys.RootSigners = [keys.NewSigner(algorithm), keys.NewSigner(algorithm), keys.NewSigner(algorithm)];
        keys.TimestampSigner = keys.NewSigner(algorithm);
        keys.SnapshotSigner = keys.NewSigner(algorithm);
        keys.TargetsSigner = keys.NewSigner(algorithm);
        repo.WriteRoot(keys.Root(1), keys.RootSigners[0], keys.RootSigners[1]);
        repo.AddTarget("app.bin", Release, new ReleaseRules { Version = "2.1.0", Channel = "stable", Models = ["m1"], RequireTrust = "verified" }.ToCustom());
        repo.Publish();
        return repo;
    }

    private static TrustedMetadataSet Refresh(RepoWriter repo, SuitePolicy policy)
    {
        // A fresh client each time: nothing trusted under one policy carries over to the next.
        var store = new TrustedMetadataStore(Path.Combine(repo.Folder, "state-" + Guid.NewGuid().ToString("N")));
        store.Save("root", repo.RootBytes(1));
        return new Updater(new DirectoryFetcher(repo.RepoDir), store) { Policy = policy }.Refresh();
    }

    [Fact]
    public void A_composite_signed_repository_verifies_with_Ed25519_or_either_half_refused()
    {
        using var repo = SignedWith(SignatureAlgorithm.MlDsa87EcdsaP384);
        foreach (var policy in new[] { Refusing(SignatureAlgorithm.Ed25519), Refusing(SignatureAlgorithm.MlDsa87), Refusing(SignatureAlgorithm.EcdsaP384) })
            Assert.NotNull(Refresh(repo, policy).Targets);
    }

    [Fact]
    public void A_composite_signed_repository_is_refused_with_both_halves_refused()
    {
        using var repo = SignedWith(SignatureAlgorithm.MlDsa87EcdsaP384);
        var e = Assert.Throws<SuiteRefusedException>(() => Refresh(repo, Refusing(SignatureAlgorithm.MlDsa87, SignatureAlgorithm.EcdsaP384)));
        Assert.Contains("id-MLDSA87-ECDSA-P384-SHA512", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Ed25519", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_composite_signed_repository_is_refused_when_the_composite_is_refused_by_name()
    {
        using var repo = SignedWith(SignatureAlgorithm.MlDsa87EcdsaP384);
        var e = Assert.Throws<SuiteRefusedException>(() => Refresh(repo, Refusing(SignatureAlgorithm.MlDsa87EcdsaP384)));
        Assert.Equal(SignatureAlgorithm.MlDsa87EcdsaP384, e.RefusedAlgorithm);
    }

    [Fact]
    public void An_ML_DSA_87_repository_verifies_with_Ed25519_refused_and_is_refused_with_ML_DSA_87_refused()
    {
        using var repo = SignedWith(SignatureAlgorithm.MlDsa87);
        Assert.NotNull(Refresh(repo, Refusing(SignatureAlgorithm.Ed25519)).Targets);
        var e = Assert.Throws<SuiteRefusedException>(() => Refresh(repo, Refusing(SignatureAlgorithm.MlDsa87)));
        Assert.Contains("ML-DSA-87 is refused", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_Ed25519_repository_is_refused_with_Ed25519_refused_and_verifies_with_ML_DSA_87_refused()
    {
        using var repo = SignedWith(SignatureAlgorithm.Ed25519);
        var e = Assert.Throws<SuiteRefusedException>(() => Refresh(repo, Refusing(SignatureAlgorithm.Ed25519)));
        Assert.Equal(SignatureAlgorithm.Ed25519, e.RefusedAlgorithm);
        Assert.NotNull(Refresh(repo, Refusing(SignatureAlgorithm.MlDsa87)).Targets);
        Assert.NotNull(Refresh(repo, Refusing(SignatureAlgorithm.SlhDsaSha2_256s, KeyAgreementAlgorithm.X25519)).Targets);
    }

    [Fact]
    public void A_refused_key_counts_zero_toward_a_mixed_roles_threshold()
    {
        using var keys = new TestRepository();
        var ed25519 = keys.NewSigner();
        var composite = keys.NewSigner(SignatureAlgorithm.MlDsa87EcdsaP384);
        var mlDsa = keys.NewSigner(SignatureAlgorithm.MlDsa87);
        keys.RootSigners = [ed25519, composite, mlDsa];
        var policy = Refusing(SignatureAlgorithm.Ed25519);

        // Signed by all three: the two post-quantum keys still meet the threshold of 2.
        var allThree = TestRepository.Sign(keys.Root(1), ed25519, composite, mlDsa);
        Assert.Equal(1, new TrustedMetadataSet(allThree, TestRepository.Now, policy: policy).Root.Signed.Version);

        // Signed by Ed25519 and one post-quantum key: only one signature counts.
        var withEd25519 = TestRepository.Sign(keys.Root(1), ed25519, composite);
        var e = Assert.Throws<SuiteRefusedException>(() => new TrustedMetadataSet(withEd25519, TestRepository.Now, policy: policy));
        Assert.Contains("root", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, new TrustedMetadataSet(withEd25519, TestRepository.Now).Root.Signed.Version);

        // Too few signatures whatever the policy: the ordinary threshold error.
        var one = TestRepository.Sign(keys.Root(1), composite);
        Assert.Throws<ThresholdNotMetException>(() => new TrustedMetadataSet(one, TestRepository.Now, policy: policy));
    }
}
