using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Trust.Tests.Transparency.Support;
using Enigm.Trust.Transparency;
using Xunit;

namespace Enigm.Trust.Tests.Transparency;

/// <summary>
/// A tree head relies on its suite's device signature (id-MLDSA65-Ed25519-SHA512): it verifies while one
/// half of the composite is accepted and is refused when both are, or the composite is refused by name.
/// </summary>
public sealed class TreeHeadAlgorithmRefusalTests
{
    private static SuitePolicy Refusing(params CryptoAlgorithm[] algorithms) =>
        algorithms.Aggregate(SuitePolicy.Default, (p, a) => p.RefuseAlgorithm(a));

    private static SignedTreeHead Head()
    {
        var (log, _) = ReferenceTree.Numbered(5);
        return log.SignTreeHead(LogKeys.Log, LogKeys.Now);
    }

    [Fact]
    public void A_tree_head_verifies_with_either_half_of_its_composite_refused()
    {
        var head = Head();
        head.Verify(LogKeys.Log.PublicKey, Refusing(SignatureAlgorithm.Ed25519));
        head.Verify(LogKeys.Log.PublicKey, Refusing(SignatureAlgorithm.MlDsa65));
        new TreeHeadVerifier("test-log", LogKeys.Log.PublicKey, Refusing(SignatureAlgorithm.Ed25519)).Verify(head);
    }

    [Fact]
    public void A_tree_head_is_refused_with_both_halves_refused()
    {
        var verifier = new TreeHeadVerifier("test-log", LogKeys.Log.PublicKey, Refusing(SignatureAlgorithm.Ed25519, SignatureAlgorithm.MlDsa65));
        var e = Assert.Throws<SuiteRefusedException>(() => verifier.Verify(Head()));
        Assert.Contains("id-MLDSA65-Ed25519-SHA512", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tree_head_is_refused_when_the_composite_is_refused_by_name()
    {
        var e = Assert.Throws<SuiteRefusedException>(() => Head().Verify(LogKeys.Log.PublicKey, Refusing(SignatureAlgorithm.MlDsa65Ed25519)));
        Assert.Contains("id-MLDSA65-Ed25519-SHA512 is refused", e.Message, StringComparison.Ordinal);
    }
}
