using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Envelope;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.SealedSender;
using Enigm.Messaging.Tests.Support;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;
using Xunit;

namespace Enigm.Messaging.Tests.SealedSender;

public sealed class SealedSenderTests : IDisposable
{
    private static readonly byte[] Content = "hello bob, this is a ratchet message"u8.ToArray();

    private readonly TestAccount _alice = TestAccount.Create("alice");
    private readonly TestAccount _bob = TestAccount.Create("bob", devices: 2);

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    private VerifiedIdentity BobPhone => IdentityCertificate.Verify(_bob.Primary.Identity.Certificate, _bob.Verified);

    private TrustedDeviceSet? Logs(AccountFingerprint account) =>
        account.Equals(_alice.Fingerprint) ? _alice.Verified : account.Equals(_bob.Fingerprint) ? _bob.Verified : null;

    private byte[] Seal() => SealedSenderCipher.Seal(_alice.Primary.Identity, BobPhone, 2, Content);

    [Fact]
    public void Round_trip_reveals_the_verified_sender_and_the_content_to_the_recipient_device()
    {
        var opened = SealedSenderCipher.Open(_bob.Primary.Identity, Seal(), Logs);

        Assert.Equal(_alice.Primary.Identity.Identity, opened.Sender);
        Assert.Equal(2, opened.ContentType);
        Assert.Equal(Content, opened.Content);
    }

    [Fact]
    public void The_envelope_shows_the_relay_only_the_recipient_device_a_size_and_a_time()
    {
        var envelope = SealedSenderCipher.SealToEnvelope(_alice.Primary.Identity, BobPhone, 2, Content, _alice.Clock);
        var parsed = MessageEnvelope.Decode(envelope);

        Assert.Equal(_bob.Fingerprint, parsed.RecipientAccount);
        Assert.Equal(_bob.Primary.Id, parsed.RecipientDeviceId);
        Assert.Equal(ManualClock.Epoch, parsed.Timestamp);
        Assert.Equal(-1, Bytes.IndexOf(envelope, _alice.Fingerprint.Bytes.ToArray()));
        Assert.Equal(-1, Bytes.IndexOf(envelope, System.Text.Encoding.UTF8.GetBytes(_alice.Primary.Id)));
        Assert.Equal(-1, Bytes.IndexOf(envelope, _alice.Primary.Identity.Identity.IdentityKey));
        Assert.Equal(-1, Bytes.IndexOf(envelope, Content));
        Assert.Equal(envelope, parsed.Encode());

        Assert.Equal(Content, SealedSenderCipher.OpenEnvelope(_bob.Primary.Identity, envelope, Logs).Content);
    }

    [Fact]
    public void Another_device_of_the_recipient_cannot_open_the_layer()
    {
        Assert.Throws<SealedSenderException>(() => SealedSenderCipher.Open(_bob.Devices[1].Identity, Seal(), Logs));
    }

    [Fact]
    public void An_envelope_addressed_to_another_device_is_refused()
    {
        var envelope = SealedSenderCipher.SealToEnvelope(_alice.Primary.Identity, BobPhone, 2, Content);

        Assert.Throws<SealedSenderException>(() => SealedSenderCipher.OpenEnvelope(_bob.Devices[1].Identity, envelope, Logs));
    }

    [Theory]
    [InlineData(12)]
    [InlineData(600)]
    [InlineData(1200)]
    [InlineData(-20)]
    public void A_tampered_layer_is_refused(int offset)
    {
        var layer = Seal();
        var at = offset >= 0 ? offset : layer.Length + offset;

        Assert.ThrowsAny<EnigmException>(() => SealedSenderCipher.Open(_bob.Primary.Identity, Bytes.Flip(layer, at), Logs));
        var error = Record.Exception(() => SealedSenderCipher.Open(_bob.Primary.Identity, Bytes.Flip(layer, at), Logs));
        Assert.True(error is SealedSenderException or MalformedInputException, error?.GetType().Name);
    }

    [Fact]
    public void Oversize_content_is_refused_when_sealing_and_oversize_layers_when_opening()
    {
        var tooLarge = new byte[SealedSenderLayer.MaxContentSize + 1];
        var error = Assert.Throws<MessageTooLargeException>(() => SealedSenderCipher.Seal(_alice.Primary.Identity, BobPhone, 2, tooLarge));
        Assert.Equal(SealedSenderLayer.MaxContentSize, error.Limit);

        Assert.Throws<MalformedInputException>(() => SealedSenderCipher.Open(_bob.Primary.Identity, new byte[SealedSenderLayer.MaxEncodedSize + 1], Logs));
        Assert.Throws<MalformedInputException>(() => MessageEnvelope.Decode(new byte[MessageEnvelope.MaxEncodedSize + 1]));
        Assert.Equal(Content.Length, SealedSenderCipher.Open(_bob.Primary.Identity, SealedSenderCipher.Seal(_alice.Primary.Identity, BobPhone, 2, new byte[SealedSenderLayer.MaxContentSize]), Logs).Content.Length - SealedSenderLayer.MaxContentSize + Content.Length);
    }

    [Fact]
    public void A_sender_whose_device_was_revoked_or_whose_account_is_unknown_is_not_trusted()
    {
        var layer = Seal();

        Assert.Throws<UntrustedDeviceException>(() => SealedSenderCipher.Open(_bob.Primary.Identity, layer, _ => null));

        var secondAlice = _alice.AddDevice();
        var fromSecond = SealedSenderCipher.Seal(secondAlice.Identity, BobPhone, 2, Content);
        _alice.Revoke(secondAlice);
        Assert.Throws<UntrustedDeviceException>(() => SealedSenderCipher.Open(_bob.Primary.Identity, fromSecond, Logs));
    }

    [Fact]
    public void A_cached_certificate_is_verified_once_per_log_head_and_a_revocation_is_not_hidden_by_the_cache()
    {
        var cache = new VerifiedCertificateCache();
        var secondAlice = _alice.AddDevice();
        var fromSecond = SealedSenderCipher.Seal(secondAlice.Identity, BobPhone, 2, Content);

        var first = SealedSenderCipher.Open(_bob.Primary.Identity, fromSecond, Logs, certificates: cache);
        var second = SealedSenderCipher.Open(_bob.Primary.Identity, fromSecond, Logs, certificates: cache);
        Assert.Equal(first.Sender, second.Sender);
        Assert.Equal(1, cache.Count);
        Assert.Equal(1, cache.Hits);

        _alice.Revoke(secondAlice);
        Assert.Throws<UntrustedDeviceException>(() => SealedSenderCipher.Open(_bob.Primary.Identity, fromSecond, Logs, certificates: cache));
        Assert.Equal(1, cache.Hits);
    }

    [Fact]
    public void The_certificate_cache_is_bounded_and_evicts_the_oldest()
    {
        var cache = new VerifiedCertificateCache(capacity: 1);
        var secondAlice = _alice.AddDevice();
        var fromFirst = Seal();
        var fromSecond = SealedSenderCipher.Seal(secondAlice.Identity, BobPhone, 2, Content);

        SealedSenderCipher.Open(_bob.Primary.Identity, fromFirst, Logs, certificates: cache);
        SealedSenderCipher.Open(_bob.Primary.Identity, fromSecond, Logs, certificates: cache);
        SealedSenderCipher.Open(_bob.Primary.Identity, fromFirst, Logs, certificates: cache);

        Assert.Equal(1, cache.Count);
        Assert.Equal(0, cache.Hits);
        Assert.Throws<ArgumentOutOfRangeException>(() => new VerifiedCertificateCache(0));
    }

    [Fact]
    public void A_suite_the_policy_refuses_is_refused()
    {
        var policy = SuitePolicy.Default.With(SuiteRegistry.Suite1.Id, SuiteStatus.Refused);

        Assert.Throws<SuiteRefusedException>(() => SealedSenderCipher.Open(_bob.Primary.Identity, Seal(), Logs, policy));
    }

    [Fact]
    public void Layer_overhead_is_the_X_Wing_ciphertext_the_certificate_and_the_tag()
    {
        var layer = Seal();
        var overhead = layer.Length - Content.Length;

        Assert.InRange(overhead, 1120 + 16 + _alice.Primary.Identity.Certificate.Length, 1120 + 16 + _alice.Primary.Identity.Certificate.Length + 40);
    }
}
