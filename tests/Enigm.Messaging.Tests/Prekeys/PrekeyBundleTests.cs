using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.Tests.Support;
using Xunit;

namespace Enigm.Messaging.Tests.Prekeys;

public sealed class PrekeyBundleTests : IDisposable
{
    private readonly TestAccount _bob = TestAccount.Create("bob", devices: 2);

    public void Dispose() => _bob.Dispose();

    [Fact]
    public void Verified_bundle_names_the_device_its_identity_and_its_keys()
    {
        var device = _bob.Primary;
        var bundle = PrekeyBundleVerifier.Verify(device.Prekeys.PublishBundle(), _bob.Verified);

        Assert.Equal(_bob.Fingerprint, bundle.Identity.Account);
        Assert.Equal(device.Id, bundle.Identity.DeviceId);
        Assert.Equal(device.Identity.Identity.IdentityKey, bundle.Identity.IdentityKey);
        Assert.Equal(device.Identity.Identity.Binding, bundle.Identity.Binding);
        Assert.Equal(3, bundle.OneTimePrekeys.Count);
        Assert.Equal(2, bundle.OneTimeKemPrekeys.Count);
        Assert.Equal(device.Store.List(PrekeyKind.SignedPrekey)[^1].Key.PublicKey, bundle.SignedPrekey.Key);
    }

    [Fact]
    public void Encoding_is_deterministic_and_round_trips()
    {
        var encoded = _bob.Primary.Prekeys.PublishBundle();
        Assert.Equal(encoded, PrekeyBundle.Decode(encoded).Encode());
    }

    [Fact]
    public void Fetched_bundle_with_one_prekey_of_each_kind_verifies_with_the_same_signature()
    {
        var full = PrekeyBundle.Decode(_bob.Primary.Prekeys.PublishBundle());
        var fetched = full.WithOnly(full.OneTimePrekeys[1].Id, full.OneTimeKemPrekeys[1].Id);

        var verified = PrekeyBundleVerifier.Verify(fetched.Encode(), _bob.Verified);

        var oneTime = Assert.Single(verified.OneTimePrekeys);
        Assert.Equal(full.OneTimePrekeys[1].Id, oneTime.Id);
        Assert.Equal(full.OneTimePrekeys[1].Key, oneTime.Key);
        Assert.Equal(full.OneTimeKemPrekeys[1].Id, verified.KemPrekeyToUse.Key.Id);
        Assert.False(verified.KemPrekeyToUse.IsLastResort);
        Assert.True(PrekeyBundleVerifier.Verify(full.WithOnly(null, null), _bob.Verified).KemPrekeyToUse.IsLastResort);
    }

    [Fact]
    public void Rejects_a_bundle_whose_signature_was_altered()
    {
        var bundle = PrekeyBundle.Decode(_bob.Primary.Prekeys.PublishBundle());
        var tampered = bundle.Encode();
        var at = Bytes.IndexOf(tampered, bundle.Signature) + 100;

        Assert.Throws<PrekeyBundleInvalidException>(() => PrekeyBundleVerifier.Verify(Bytes.Flip(tampered, at), _bob.Verified));
    }

    [Fact]
    public void Rejects_a_bundle_whose_signed_prekey_was_swapped()
    {
        var encoded = _bob.Primary.Prekeys.PublishBundle();
        var bundle = PrekeyBundle.Decode(encoded);
        var at = Bytes.IndexOf(encoded, bundle.SignedPrekey.Key) + 5;

        Assert.Throws<PrekeyBundleInvalidException>(() => PrekeyBundleVerifier.Verify(Bytes.Flip(encoded, at), _bob.Verified));
    }

    [Fact]
    public void Rejects_a_bundle_whose_identity_key_was_swapped()
    {
        var encoded = _bob.Primary.Prekeys.PublishBundle();
        var at = Bytes.IndexOf(encoded, _bob.Primary.Identity.Identity.IdentityKey) + 3;

        Assert.Throws<PrekeyBundleInvalidException>(() => PrekeyBundleVerifier.Verify(Bytes.Flip(encoded, at), _bob.Verified));
    }

    [Fact]
    public void Rejects_a_one_time_KEM_key_the_signature_does_not_cover()
    {
        var bundle = PrekeyBundle.Decode(_bob.Primary.Prekeys.PublishBundle());
        using var other = CryptoProviders.Default.Kem(KemAlgorithm.MlKem1024).GenerateKeyPair();
        var swapped = WithOneTimeKeys(bundle, bundle.OneTimePrekeys, [new PublicPrekey(bundle.OneTimeKemPrekeys[0].Id, other.PublicKey)]);

        var error = Assert.Throws<PrekeyBundleInvalidException>(() => PrekeyBundleVerifier.Verify(swapped, _bob.Verified));
        Assert.Contains("not the key the bundle signature covers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_one_time_KEM_key_with_an_unknown_id()
    {
        var bundle = PrekeyBundle.Decode(_bob.Primary.Prekeys.PublishBundle());
        var renamed = WithOneTimeKeys(bundle, bundle.OneTimePrekeys, [bundle.OneTimeKemPrekeys[0] with { Id = 999_999 }]);

        Assert.Throws<PrekeyBundleInvalidException>(() => PrekeyBundleVerifier.Verify(renamed, _bob.Verified));
    }

    [Theory]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")]
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")]
    [InlineData("0900000000000000000000000000000000000000000000000000000000000080")]
    public void Rejects_a_low_order_or_non_canonical_one_time_prekey_injected_by_the_server(string hex)
    {
        var bundle = PrekeyBundle.Decode(_bob.Primary.Prekeys.PublishBundle());
        var injected = WithOneTimeKeys(bundle, [new PublicPrekey(bundle.OneTimePrekeys[0].Id, Convert.FromHexString(hex))], bundle.OneTimeKemPrekeys);

        Assert.Throws<SetupKeyInvalidException>(() => PrekeyBundleVerifier.Verify(injected, _bob.Verified));
    }

    [Fact]
    public void Rejects_a_bundle_checked_against_another_accounts_log()
    {
        using var mallory = TestAccount.Create("mallory");
        var bundle = _bob.Primary.Prekeys.PublishBundle();

        Assert.Throws<UntrustedDeviceException>(() => PrekeyBundleVerifier.Verify(bundle, mallory.Verified));
    }

    [Fact]
    public void Rejects_the_bundle_of_a_revoked_device()
    {
        var second = _bob.Devices[1];
        var bundle = second.Prekeys.PublishBundle();
        _bob.Revoke(second);

        var error = Assert.Throws<UntrustedDeviceException>(() => PrekeyBundleVerifier.Verify(bundle, _bob.Verified));
        Assert.Equal(second.Id, error.DeviceId);
    }

    [Fact]
    public void Rejects_a_bundle_signed_by_another_device_of_the_same_account()
    {
        // Device 2 signs a bundle that claims device 1's identity: the log's key for device 1 does not verify it.
        var forger = new DevicePrekeys(_bob.Primary.Identity, _bob.Devices[1].SigningKey, new InMemoryPrekeyStore(), TestAccount.SmallPolicy);

        Assert.Throws<PrekeyBundleInvalidException>(() => PrekeyBundleVerifier.Verify(forger.PublishBundle(), _bob.Verified));
    }

    [Fact]
    public void Rejects_trailing_bytes_oversize_input_and_another_object_type()
    {
        var encoded = _bob.Primary.Prekeys.PublishBundle();

        Assert.Throws<MalformedInputException>(() => PrekeyBundle.Decode(encoded.Append((byte)0).ToArray()));
        Assert.Throws<MalformedInputException>(() => PrekeyBundle.Decode(new byte[PrekeyBundle.MaxEncodedSize + 1]));
        Assert.Throws<MalformedInputException>(() => PrekeyBundle.Decode(_bob.Primary.Identity.Certificate));
        Assert.Throws<MalformedInputException>(() => PrekeyBundle.Decode(encoded.AsMemory(0, encoded.Length - 1)));
    }

    [Fact]
    public void Rejects_duplicate_one_time_prekey_ids()
    {
        var bundle = PrekeyBundle.Decode(_bob.Primary.Prekeys.PublishBundle());
        var duplicated = WithOneTimeKeys(bundle, [bundle.OneTimePrekeys[0], bundle.OneTimePrekeys[0]], bundle.OneTimeKemPrekeys);

        Assert.Throws<MalformedInputException>(() => PrekeyBundleVerifier.Verify(duplicated, _bob.Verified));
    }

    [Fact]
    public void Identity_certificate_verifies_only_through_the_device_log()
    {
        var certificate = _bob.Primary.Identity.Certificate;
        var identity = IdentityCertificate.Verify(certificate, _bob.Verified);
        Assert.Equal(_bob.Primary.Identity.Identity, identity);

        var at = Bytes.IndexOf(certificate, _bob.Primary.Identity.Identity.SealedSenderKey) + 7;
        Assert.Throws<PrekeyBundleInvalidException>(() => IdentityCertificate.Verify(Bytes.Flip(certificate, at), _bob.Verified));
        using var mallory = TestAccount.Create("mallory");
        Assert.Throws<UntrustedDeviceException>(() => IdentityCertificate.Verify(certificate, mallory.Verified));
    }

    private static byte[] WithOneTimeKeys(PrekeyBundle b, IReadOnlyList<PublicPrekey> oneTime, IReadOnlyList<PublicPrekey> oneTimeKem) =>
        new PrekeyBundle(b.Header, b.SignedPart, b.Identity, b.SignedPrekey, b.LastResortKemPrekey, b.KemCommitments, b.IssuedAt, b.Signature, oneTime, oneTimeKem).Encode();

    [Fact]
    public void Commitments_are_SHA256_of_each_one_time_KEM_key()
    {
        var bundle = PrekeyBundle.Decode(_bob.Primary.Prekeys.PublishBundle());
        foreach (var key in bundle.OneTimeKemPrekeys)
            Assert.Equal(SHA256.HashData(key.Key), bundle.KemCommitments.Single(c => c.Id == key.Id).KeyHash);
    }
}
