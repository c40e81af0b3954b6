using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.Setup;
using Enigm.Messaging.Tests.Support;
using Xunit;

namespace Enigm.Messaging.Tests.Setup;

public sealed class BundleSignatureCacheTests : IDisposable
{
    private readonly TestAccount _bob = TestAccount.Create("bob", devices: 2);

    public void Dispose() => _bob.Dispose();

    [Fact]
    public void A_second_fetch_with_other_one_time_keys_reuses_the_verified_signature()
    {
        var cache = new BundleSignatureCache();
        var full = PrekeyBundle.Decode(_bob.Primary.Prekeys.PublishBundle());

        var first = PrekeyBundleVerifier.Verify(full.WithOnly(full.OneTimePrekeys[0].Id, full.OneTimeKemPrekeys[0].Id).Encode(), _bob.Verified, signatures: cache);
        var second = PrekeyBundleVerifier.Verify(full.WithOnly(full.OneTimePrekeys[1].Id, full.OneTimeKemPrekeys[1].Id).Encode(), _bob.Verified, signatures: cache);

        Assert.Equal(1, cache.Hits);
        Assert.NotEqual(first.OneTimeKemPrekeys[0].Id, second.OneTimeKemPrekeys[0].Id);
    }

    [Fact]
    public void A_cached_bundle_of_a_device_revoked_since_is_refused()
    {
        var cache = new BundleSignatureCache();
        var second = _bob.Devices[1];
        var bundle = second.Prekeys.PublishBundle();
        PrekeyBundleVerifier.Verify(bundle, _bob.Verified, signatures: cache);
        _bob.Revoke(second);

        Assert.Throws<UntrustedDeviceException>(() => PrekeyBundleVerifier.Verify(bundle, _bob.Verified, signatures: cache));
    }

    [Fact]
    public void A_bad_signature_is_never_remembered_and_still_refused_after_a_good_one()
    {
        var cache = new BundleSignatureCache();
        var bundle = PrekeyBundle.Decode(_bob.Primary.Prekeys.PublishBundle());
        var encoded = bundle.Encode();
        var tampered = Bytes.Flip(encoded, Bytes.IndexOf(encoded, bundle.Signature) + 100);

        PrekeyBundleVerifier.Verify(encoded, _bob.Verified, signatures: cache);
        Assert.Throws<PrekeyBundleInvalidException>(() => PrekeyBundleVerifier.Verify(tampered, _bob.Verified, signatures: cache));
        Assert.Throws<PrekeyBundleInvalidException>(() => PrekeyBundleVerifier.Verify(tampered, _bob.Verified, signatures: cache));
        Assert.Equal(0, cache.Hits);
    }
}
