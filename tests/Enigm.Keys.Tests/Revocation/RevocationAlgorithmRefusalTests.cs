using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Keys.Revocation;
using Xunit;

namespace Enigm.Keys.Tests.Revocation;

/// <summary>
/// A revocation statement relies on its authority's algorithm alone: an Ed25519 authority is refused once
/// Ed25519 is, a composite authority only when both halves or the composite itself are refused.
/// </summary>
public sealed class RevocationAlgorithmRefusalTests
{
    private static readonly Lazy<PrivateKey> CompositeAuthority = new(() => Scheme(SignatureAlgorithm.MlDsa65Ed25519).GenerateKey());

    private static readonly Lazy<PrivateKey> Ed25519Authority = new(() => Scheme(SignatureAlgorithm.Ed25519).GenerateKey());

    private static Crypto.Primitives.ISignatureScheme Scheme(SignatureAlgorithm algorithm) => CryptoProviders.Default.Signature(algorithm);

    private static SuitePolicy Refusing(params CryptoAlgorithm[] algorithms) =>
        algorithms.Aggregate(SuitePolicy.Default, (p, a) => p.RefuseAlgorithm(a));

    private static byte[] SignedBy(PrivateKey authority) => RevocationStatements.Sign(
        new RevocationStatement(
            RevokedKeyId: "device-7.v2",
            RevokedAlgorithm: "id-MLDSA65-Ed25519-SHA512",
            RevokedPublicKeySha256: SHA256.HashData("revoked key"u8),
            Reason: "lost",
            RevokedAt: new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero),
            AuthorityKeyId: "root.v1",
            AuthorityAlgorithm: authority.Algorithm.Name,
            AuthorityPublicKey: authority.PublicKey,
            SuiteId: 1),
        Scheme((SignatureAlgorithm)authority.Algorithm),
        authority);

    private static RevocationStatement Verify(PrivateKey authority, SuitePolicy policy) =>
        RevocationStatements.Verify(SignedBy(authority), authority.PublicKey, policy, CryptoProviders.Default);

    [Fact]
    public void A_composite_authoritys_statement_verifies_with_either_half_refused()
    {
        Assert.Equal("lost", Verify(CompositeAuthority.Value, Refusing(SignatureAlgorithm.Ed25519)).Reason);
        Assert.Equal("lost", Verify(CompositeAuthority.Value, Refusing(SignatureAlgorithm.MlDsa65)).Reason);
    }

    [Fact]
    public void A_composite_authoritys_statement_is_refused_with_both_halves_or_the_composite_refused()
    {
        var both = Assert.Throws<SuiteRefusedException>(() => Verify(CompositeAuthority.Value, Refusing(SignatureAlgorithm.Ed25519, SignatureAlgorithm.MlDsa65)));
        Assert.Contains("id-MLDSA65-Ed25519-SHA512", both.Message, StringComparison.Ordinal);
        var byName = Assert.Throws<SuiteRefusedException>(() => Verify(CompositeAuthority.Value, Refusing(SignatureAlgorithm.MlDsa65Ed25519)));
        Assert.Contains("id-MLDSA65-Ed25519-SHA512 is refused", byName.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_Ed25519_authoritys_statement_is_refused_with_Ed25519_refused_and_not_with_ML_DSA_87_refused()
    {
        var e = Assert.Throws<SuiteRefusedException>(() => Verify(Ed25519Authority.Value, Refusing(SignatureAlgorithm.Ed25519)));
        Assert.Contains("Ed25519 is refused", e.Message, StringComparison.Ordinal);
        Assert.Equal("lost", Verify(Ed25519Authority.Value, Refusing(SignatureAlgorithm.MlDsa87)).Reason);
    }
}
