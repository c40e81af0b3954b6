using Enigm.Crypto.Algorithms;
using Enigm.Ota.Eligibility;
using Enigm.Ota.Tests.Support;
using Enigm.Ota.Tests.Threats;
using Xunit;

namespace Enigm.Ota.Tests.Cli;

/// <summary>
/// <c>enigm update check --refuse-algorithm</c> does what its help says: refusing Ed25519 once a fleet is
/// post-quantum only leaves a composite-signed repository readable and refuses an Ed25519 one (exit 15).
/// </summary>
public sealed class RefuseAlgorithmCliTests
{
    private static (int Code, string Out, string Err) Check(RepoWriter repo, params string[] refused)
    {
        var device = Path.Combine(repo.Folder, "device.json");
        File.WriteAllBytes(device, new DeviceProfile
        {
            Id = "dev-1",
            Model = "m1",
            Channel = "stable",
            InstalledVersion = "1.0.0",
            OsVersion = "13.2",
            TrustState = "verified",
        }.ToJson());
        var root = Path.Combine(repo.Folder, "root.json");
        File.WriteAllBytes(root, repo.RootBytes(1));
        var state = Path.Combine(repo.Folder, "state-" + Guid.NewGuid().ToString("N"));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string[] args = ["update", "check", "--repo", repo.RepoDir, "--device", device, "--root", root, "--state", state, .. refused.SelectMany(a => new[] { "--refuse-algorithm", a })];
        var code = Enigm.Cli.Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void A_composite_signed_repository_checks_with_Ed25519_refused()
    {
        using var repo = AlgorithmRefusalTests.SignedWith(SignatureAlgorithm.MlDsa87EcdsaP384);
        var (code, _, error) = Check(repo, "Ed25519");
        Assert.True(code == 0, error);
        Assert.Equal(0, Check(repo, "ML-DSA-87").Code);
    }

    [Fact]
    public void A_composite_signed_repository_exits_15_with_both_halves_refused()
    {
        using var repo = AlgorithmRefusalTests.SignedWith(SignatureAlgorithm.MlDsa87EcdsaP384);
        var (code, _, error) = Check(repo, "ML-DSA-87", "ECDSA-P384-SHA384");
        Assert.True(code == 15, error);
        Assert.Contains("id-MLDSA87-ECDSA-P384-SHA512", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_Ed25519_repository_exits_15_with_Ed25519_refused_and_not_with_ML_DSA_87_refused()
    {
        using var repo = AlgorithmRefusalTests.SignedWith(SignatureAlgorithm.Ed25519);
        var (code, _, error) = Check(repo, "Ed25519");
        Assert.True(code == 15, error);
        Assert.Contains("Ed25519", error, StringComparison.Ordinal);
        var (other, _, otherError) = Check(repo, "ML-DSA-87");
        Assert.True(other == 0, otherError);
    }
}
