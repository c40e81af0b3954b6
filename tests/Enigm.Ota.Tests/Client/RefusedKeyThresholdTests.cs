using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Ota.Client;
using Enigm.Ota.Errors;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Client;

/// <summary>
/// The threshold rule of <see cref="TrustedMetadataSet"/> under a suite policy that refuses the
/// role's key algorithm: refused keys count zero, so metadata that meets its threshold only through
/// them is a <see cref="SuiteRefusedException"/> naming the role and algorithm, and metadata that
/// would not meet it anyway stays a <see cref="ThresholdNotMetException"/> counting no valid signature.
/// </summary>
public sealed class RefusedKeyThresholdTests : IDisposable
{
    private static readonly SuitePolicy RefusesEd25519 = SuitePolicy.Default.RefuseAlgorithm(SignatureAlgorithm.Ed25519);
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void A_root_meeting_its_threshold_only_with_refused_keys_is_refused_by_suite()
    {
        var root = TestRepository.Sign(_repo.Root(1), _repo.RootSigners[0], _repo.RootSigners[1]);
        var e = Assert.Throws<SuiteRefusedException>(() => new TrustedMetadataSet(root, TestRepository.Now, policy: RefusesEd25519));
        Assert.Contains("Role root meets its threshold only with keys this policy refuses", e.Message, StringComparison.Ordinal);
        Assert.Contains("Ed25519", e.Message, StringComparison.Ordinal);
        Assert.Contains("0 of 2 signatures by accepted keys", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_root_below_its_threshold_under_refused_keys_is_a_threshold_failure()
    {
        var root = TestRepository.Sign(_repo.Root(1), _repo.RootSigners[0]);
        var e = Assert.Throws<ThresholdNotMetException>(() => new TrustedMetadataSet(root, TestRepository.Now, policy: RefusesEd25519));
        Assert.Equal("root", e.Role);
        Assert.Equal(0, e.ValidSignatures);
    }

    [Fact]
    public void Under_the_default_policy_a_root_below_its_threshold_counts_its_valid_signatures()
    {
        var root = TestRepository.Sign(_repo.Root(1), _repo.RootSigners[0]);
        var e = Assert.Throws<ThresholdNotMetException>(() => new TrustedMetadataSet(root, TestRepository.Now));
        Assert.Equal(1, e.ValidSignatures);
    }
}
