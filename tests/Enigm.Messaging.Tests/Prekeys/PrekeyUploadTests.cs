using Enigm.Crypto.Errors;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.Tests.Support;
using Xunit;

namespace Enigm.Messaging.Tests.Prekeys;

public sealed class PrekeyUploadTests : IDisposable
{
    private readonly TestAccount _bob = TestAccount.Create("bob");

    public void Dispose() => _bob.Dispose();

    [Fact]
    public void Splits_a_published_bundle_into_a_base_and_the_one_time_key_lists()
    {
        var published = PrekeyBundle.Decode(_bob.Primary.Prekeys.PublishBundle());
        var upload = PrekeyUpload.FromPublished(published.Encode());

        var stored = PrekeyBundle.Decode(upload.BaseBundle);
        Assert.Empty(stored.OneTimePrekeys);
        Assert.Empty(stored.OneTimeKemPrekeys);
        Assert.Equal(published.OneTimePrekeys.Select(k => k.Id), upload.OneTimePrekeys.Select(k => k.Id));
        Assert.Equal(published.OneTimeKemPrekeys.Select(k => k.Key), upload.OneTimeKemPrekeys.Select(k => k.Key));
    }

    [Fact]
    public void A_reassembled_bundle_verifies_and_offers_the_keys_handed_out()
    {
        var upload = PrekeyUpload.FromPublished(_bob.Primary.Prekeys.PublishBundle());
        var fetched = PrekeyUpload.Reassemble(upload.BaseBundle, upload.OneTimePrekeys[1], upload.OneTimeKemPrekeys[0]);

        var verified = PrekeyBundleVerifier.Verify(fetched, _bob.Verified);
        Assert.Equal(upload.OneTimePrekeys[1].Id, verified.OneTimePrekeyToUse!.Id);
        Assert.Equal(upload.OneTimeKemPrekeys[0].Id, verified.KemPrekeyToUse.Key.Id);
        Assert.False(verified.KemPrekeyToUse.IsLastResort);
    }

    [Fact]
    public void A_bundle_with_no_one_time_keys_left_falls_back_to_the_last_resort_key()
    {
        var upload = PrekeyUpload.FromPublished(_bob.Primary.Prekeys.PublishBundle());
        var verified = PrekeyBundleVerifier.Verify(PrekeyUpload.Reassemble(upload.BaseBundle, null, null), _bob.Verified);
        Assert.Null(verified.OneTimePrekeyToUse);
        Assert.True(verified.KemPrekeyToUse.IsLastResort);
    }

    [Fact]
    public void A_one_time_kem_key_the_signature_did_not_commit_to_is_refused()
    {
        var upload = PrekeyUpload.FromPublished(_bob.Primary.Prekeys.PublishBundle());
        var forged = upload.OneTimeKemPrekeys[0] with { Key = [.. upload.OneTimeKemPrekeys[1].Key] };
        var fetched = PrekeyUpload.Reassemble(upload.BaseBundle, null, forged);
        Assert.Throws<PrekeyBundleInvalidException>(() => PrekeyBundleVerifier.Verify(fetched, _bob.Verified));
    }

    [Fact]
    public void Refuses_a_one_time_key_of_the_wrong_size()
    {
        var upload = PrekeyUpload.FromPublished(_bob.Primary.Prekeys.PublishBundle());
        Assert.Throws<MalformedInputException>(() => PrekeyUpload.Reassemble(upload.BaseBundle, new PublicPrekey(9, new byte[31]), null));
    }

    [Fact]
    public void Refuses_a_base_that_still_carries_one_time_keys()
    {
        var published = _bob.Primary.Prekeys.PublishBundle();
        Assert.Throws<MalformedInputException>(() => PrekeyUpload.Reassemble(published, null, null));
    }
}
