using Enigm.Crypto.Errors;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.Tests.Support;
using Xunit;

namespace Enigm.Messaging.Tests.Prekeys;

/// <summary>
/// The checks <see cref="PrekeyBundleVerifier"/> runs after the signature has verified (<c>CheckKeys</c>): a device
/// can sign a bundle with duplicate ids or unusable keys, and <see cref="PrekeyBundle.Decode"/> (sizes and structure
/// only) lets every one of these through, so each is refused by its own check, with its own reason.
/// </summary>
public sealed class PrekeyBundleKeyCheckTests : IDisposable
{
    private readonly TestAccount _bob = TestAccount.Create("bob");
    private PrekeyBundle? _published;

    public void Dispose() => _bob.Dispose();

    public static TheoryData<string> Faults() => FaultyBundles.Names();

    private PrekeyBundle Published => _published ??= PrekeyBundle.Decode(_bob.Primary.Prekeys.PublishBundle());

    [Fact]
    public void A_bundle_signed_again_by_the_test_without_a_fault_verifies()
    {
        // The control: the test's own signing is right, so each refusal below comes from a key check, not the signature.
        var resigned = ResignedBundle.Sign(Published, _bob.Primary.SigningKey, oneTime: [Published.OneTimePrekeys[0]], oneTimeKem: [Published.OneTimeKemPrekeys[0]]);

        var verified = PrekeyBundleVerifier.Verify(resigned, _bob.Verified);

        Assert.Equal(Published.OneTimeKemPrekeys[0].Id, verified.KemPrekeyToUse.Key.Id);
        Assert.Equal(Published.SignedPrekey.Key, verified.SignedPrekey.Key);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_correctly_signed_bundle_with_a_key_fault_is_refused_by_the_check_for_that_fault(string fault)
    {
        var (encoded, error, reason) = FaultyBundles.Make(Published, _bob.Primary.SigningKey, fault);
        _ = PrekeyBundle.Decode(encoded);

        var refusal = Assert.Throws(error, () => PrekeyBundleVerifier.Verify(encoded, _bob.Verified));

        Assert.Contains(reason, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_commitment_is_refused_even_when_the_one_time_KEM_key_matches_it()
    {
        // Without the unique-id check, the first commitment with the key's id is the one compared, and it matches.
        var key = Published.OneTimeKemPrekeys[0];
        var commitment = Published.KemCommitments.Single(c => c.Id == key.Id);
        var encoded = ResignedBundle.Sign(Published, _bob.Primary.SigningKey, commitments: [commitment, commitment with { KeyHash = new byte[32] }], oneTime: [], oneTimeKem: [key]);

        var refusal = Assert.Throws<MalformedInputException>(() => PrekeyBundleVerifier.Verify(encoded, _bob.Verified));
        Assert.Contains("commitment id", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_one_time_KEM_key_may_not_share_its_id_with_a_second_key_under_the_same_commitment()
    {
        // Two keys with one id, only the first committed: the second would be checked against the first's hash and fail,
        // but the duplicate id is the fault named.
        var first = Published.OneTimeKemPrekeys[0];
        var second = Published.OneTimeKemPrekeys[1] with { Id = first.Id };
        var commitment = Published.KemCommitments.Single(c => c.Id == first.Id);
        var encoded = ResignedBundle.Sign(Published, _bob.Primary.SigningKey, commitments: [commitment], oneTime: [], oneTimeKem: [first, second]);

        var refusal = Assert.Throws<MalformedInputException>(() => PrekeyBundleVerifier.Verify(encoded, _bob.Verified));
        Assert.Contains($"one-time KEM prekey id {first.Id}", refusal.Message, StringComparison.Ordinal);
    }
}
