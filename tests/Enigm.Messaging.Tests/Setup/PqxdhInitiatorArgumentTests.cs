using Enigm.Crypto.Suites;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.Setup;
using Enigm.Messaging.Tests.Support;
using Xunit;

namespace Enigm.Messaging.Tests.Setup;

/// <summary>
/// What <see cref="PqxdhInitiator"/> and <see cref="PrekeyBundleVerifier"/> do with missing arguments (an
/// <see cref="ArgumentNullException"/> naming the parameter, never a <see cref="NullReferenceException"/> or another
/// method's parameter), the suite policy they are given, and a <see cref="VerifiedPrekeyBundle"/> built by a caller
/// rather than by the verifier: its keys are not checked again, so X25519's all-zero check (RFC 7748 §6.1) and
/// ML-KEM's modulus check (FIPS 203 §7.2) refuse them at use, naming the key.
/// </summary>
public sealed class PqxdhInitiatorArgumentTests : IDisposable
{
    private readonly TestAccount _alice = TestAccount.Create("alice");
    private readonly TestAccount _bob = TestAccount.Create("bob");
    private PrekeyBundle? _published;

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    private MessagingIdentity Alice => _alice.Primary.Identity;

    private PrekeyBundle Published => _published ??= PrekeyBundle.Decode(_bob.Primary.Prekeys.PublishBundle());

    private VerifiedPrekeyBundle Verified => PrekeyBundleVerifier.Verify(Published, _bob.Verified);

    [Fact]
    public void Missing_arguments_are_named()
    {
        var log = _bob.Verified;
        var verified = Verified;

        Assert.Equal("self", Assert.Throws<ArgumentNullException>(() => PqxdhInitiator.Start(null!, Published, log)).ParamName);
        Assert.Equal("bundle", Assert.Throws<ArgumentNullException>(() => PqxdhInitiator.Start(Alice, (PrekeyBundle)null!, log)).ParamName);
        Assert.Equal("deviceLog", Assert.Throws<ArgumentNullException>(() => PqxdhInitiator.Start(Alice, Published, null!)).ParamName);
        Assert.Equal("self", Assert.Throws<ArgumentNullException>(() => PqxdhInitiator.Start(null!, verified)).ParamName);
        Assert.Equal("bundle", Assert.Throws<ArgumentNullException>(() => PqxdhInitiator.Start(Alice, (VerifiedPrekeyBundle)null!)).ParamName);
        Assert.Equal("bundle", Assert.Throws<ArgumentNullException>(() => PrekeyBundleVerifier.Verify((PrekeyBundle)null!, log)).ParamName);
        Assert.Equal("deviceLog", Assert.Throws<ArgumentNullException>(() => PrekeyBundleVerifier.Verify(Published, null!)).ParamName);
    }

    [Fact]
    public void The_policy_given_decides_whether_the_bundle_suite_is_accepted()
    {
        var suite = SuiteRegistry.Suite1.Id;
        Assert.Equal(suite, Published.Header.SuiteId);
        var refusing = SuitePolicy.Default.With(SuiteRegistry.Suite2.Id, SuiteStatus.Preferred).With(suite, SuiteStatus.Refused);
        var encoded = Published.Encode();

        Assert.Throws<Enigm.Crypto.Errors.SuiteRefusedException>(() => PqxdhInitiator.Start(Alice, Published, _bob.Verified, refusing));
        Assert.Throws<Enigm.Crypto.Errors.SuiteRefusedException>(() => PqxdhInitiator.Start(Alice, encoded, _bob.Verified, refusing));
        Assert.Throws<Enigm.Crypto.Errors.SuiteRefusedException>(() => PrekeyBundleVerifier.Verify(Published, _bob.Verified, refusing));
        Assert.Throws<Enigm.Crypto.Errors.SuiteRefusedException>(() => PrekeyBundleVerifier.Verify(encoded, _bob.Verified, refusing));
        PqxdhInitiator.Start(Alice, encoded, _bob.Verified).Dispose();
        Assert.NotNull(PrekeyBundleVerifier.Verify(encoded, _bob.Verified));
    }

    [Theory]
    [InlineData("signed prekey")]
    [InlineData("identity key")]
    [InlineData("one-time prekey")]
    public void A_caller_built_bundle_with_a_low_order_X25519_key_is_refused_at_agreement_naming_the_key(string which)
    {
        var low = ResignedBundle.LowOrderPoint;
        var bundle = Verified;
        var identity = bundle.Identity;
        bundle = which switch
        {
            "signed prekey" => Copy(bundle, signedPrekey: bundle.SignedPrekey with { Key = low }),
            "identity key" => Copy(bundle, identity: new VerifiedIdentity(identity.Suite, identity.Account, identity.DeviceId, identity.DevicePublicKey, low, identity.SealedSenderKey)),
            "one-time prekey" => Copy(bundle, oneTimePrekeys: [bundle.OneTimePrekeys[0] with { Key = low }]),
            _ => throw new ArgumentOutOfRangeException(nameof(which)),
        };

        var refusal = Assert.Throws<SetupKeyInvalidException>(() => PqxdhInitiator.Start(Alice, bundle));

        Assert.StartsWith($"The {which} cannot be used for X25519", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_caller_built_bundle_with_a_malformed_KEM_key_is_refused_at_encapsulation_naming_the_key()
    {
        var bundle = Verified;
        var key = bundle.OneTimeKemPrekeys[0];
        bundle = Copy(bundle, oneTimeKemPrekeys: [key with { Key = ResignedBundle.WithUnreducedCoefficient(key.Key) }]);

        var refusal = Assert.Throws<SetupKeyInvalidException>(() => PqxdhInitiator.Start(Alice, bundle));

        Assert.StartsWith($"KEM prekey {key.Id} cannot be used", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refusals_name_the_bundle_signature_and_the_uncovered_KEM_key()
    {
        var encoded = Published.Encode();
        var tampered = Bytes.Flip(encoded, Bytes.IndexOf(encoded, Published.Signature) + 100);
        var signature = Assert.Throws<PrekeyBundleInvalidException>(() => PrekeyBundleVerifier.Verify(tampered, _bob.Verified));
        Assert.Contains("The prekey bundle signature does not verify", signature.Message, StringComparison.Ordinal);

        var uncovered = Published.OneTimeKemPrekeys[0] with { Id = 999_999 };
        var renamed = ResignedBundle.Sign(Published, _bob.Primary.SigningKey, commitments: Published.KemCommitments, oneTimeKem: [uncovered]);
        var refusal = Assert.Throws<PrekeyBundleInvalidException>(() => PrekeyBundleVerifier.Verify(renamed, _bob.Verified));
        Assert.Contains("One-time KEM prekey 999999 is not covered by the bundle signature", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_verifier_makes_a_verified_bundle()
    {
        var type = typeof(VerifiedPrekeyBundle);

        Assert.Empty(type.GetConstructors()); // public ones
        Assert.All(type.GetProperties(), p => Assert.False(p.SetMethod?.IsPublic ?? false, $"{p.Name} has a public setter"));
        Assert.Null(type.GetMethod("<Clone>$")); // no record copy, so no `with`
    }

    // A copy of a verified bundle with some keys replaced, as only code inside the assembly (or these tests) can make.
    private static VerifiedPrekeyBundle Copy(
        VerifiedPrekeyBundle bundle,
        VerifiedIdentity? identity = null,
        PublicPrekey? signedPrekey = null,
        IReadOnlyList<PublicPrekey>? oneTimePrekeys = null,
        IReadOnlyList<PublicPrekey>? oneTimeKemPrekeys = null) =>
        new(identity ?? bundle.Identity, signedPrekey ?? bundle.SignedPrekey, bundle.LastResortKemPrekey,
            oneTimePrekeys ?? bundle.OneTimePrekeys, oneTimeKemPrekeys ?? bundle.OneTimeKemPrekeys, bundle.IssuedAt);
}
