using Enigm.Crypto.Suites;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.Ratchet;
using Enigm.Messaging.Sessions;
using Enigm.Messaging.Setup;
using Enigm.Messaging.Tests.Support;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;
using Xunit;

namespace Enigm.Messaging.Tests.Setup;

/// <summary>
/// The checks of <see cref="PqxdhInitiator.Start(MessagingIdentity, PrekeyBundle, TrustedDeviceSet, SuitePolicy?, Enigm.Crypto.Providers.CryptoProviders?, BundleSignatureCache?)"/>
/// on each of its two paths (the signature checked on a second core while PQXDH runs; a signature the cache already
/// holds): the bundle's key checks refuse a correctly signed bundle with the reason the verifier gives, before any
/// agreement or encapsulation could fail on the key with another reason (or succeed on it); a failing signature's
/// refusal wins over a key fault; the device log given is the one used, also on the cache path.
/// </summary>
public sealed class PqxdhInitiatorCheckTests : IDisposable
{
    private readonly TestAccount _alice = TestAccount.Create("alice");
    private readonly TestAccount _bob = TestAccount.Create("bob", devices: 2);
    private PrekeyBundle? _published;

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    public static TheoryData<string> Faults() => FaultyBundles.Names();

    private MessagingIdentity Alice => _alice.Primary.Identity;

    private PrekeyBundle Published => _published ??= PrekeyBundle.Decode(_bob.Primary.Prekeys.PublishBundle());

    private (byte[] Encoded, Type Error, string Reason) Faulty(string fault) => FaultyBundles.Make(Published, _bob.Primary.SigningKey, fault);

    [Theory]
    [MemberData(nameof(Faults))]
    public void First_contact_refuses_a_correctly_signed_bundle_with_a_key_fault_for_that_fault(string fault)
    {
        var (encoded, error, reason) = Faulty(fault);

        var refusal = Assert.Throws(error, () => PqxdhInitiator.Start(Alice, encoded, _bob.Verified));

        Assert.Contains(reason, refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_cached_signature_does_not_skip_the_key_checks(string fault)
    {
        var (encoded, error, reason) = Faulty(fault);
        var cache = new BundleSignatureCache();

        // The verifier remembers a signature that verified before it checks the keys, so the initiator's cache path runs.
        Assert.Throws(error, () => PrekeyBundleVerifier.Verify(encoded, _bob.Verified, signatures: cache));
        var refusal = Assert.Throws(error, () => PqxdhInitiator.Start(Alice, encoded, _bob.Verified, signatures: cache));

        Assert.Equal(1, cache.Hits);
        Assert.Contains(reason, refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_failing_signature_is_the_refusal_given_when_the_keys_are_bad_too(string fault)
    {
        var (encoded, _, _) = Faulty(fault);
        var signature = PrekeyBundle.Decode(encoded).Signature;
        var tampered = Bytes.Flip(encoded, Bytes.IndexOf(encoded, signature) + 100);

        Assert.Throws<PrekeyBundleInvalidException>(() => PrekeyBundleVerifier.Verify(tampered, _bob.Verified));
        Assert.Throws<PrekeyBundleInvalidException>(() => PqxdhInitiator.Start(Alice, tampered, _bob.Verified));
        Assert.Throws<PrekeyBundleInvalidException>(() => PqxdhInitiator.Start(Alice, tampered, _bob.Verified, signatures: new BundleSignatureCache()));
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_session_cipher_refuses_the_faulty_bundle_and_stores_no_session(string fault)
    {
        var (encoded, error, _) = Faulty(fault);
        var sessions = new InMemoryRatchetSessionStore();
        var bob = new SessionAddress(_bob.Fingerprint, _bob.Primary.Id);
        var cipher = new SessionCipher(Alice, _alice.Primary.Store, sessions, new FixedDirectory(encoded), VerifiedLog);

        // Twice: the first refusal leaves nothing behind that would let the second through.
        Assert.Throws(error, () => cipher.Encrypt(bob, "hello"u8));
        Assert.Throws(error, () => cipher.Encrypt(bob, "hello"u8));
        Assert.False(cipher.HasSession(bob));
        Assert.Null(sessions.Load(bob.StoreKey));
    }

    [Fact]
    public void A_device_revoked_since_its_signature_was_cached_is_refused_on_the_cache_path()
    {
        var cache = new BundleSignatureCache();
        var second = PrekeyBundle.Decode(_bob.Devices[1].Prekeys.PublishBundle());
        PqxdhInitiator.Start(Alice, second, _bob.Verified, signatures: cache).Dispose();
        PqxdhInitiator.Start(Alice, second, _bob.Verified, signatures: cache).Dispose();
        Assert.Equal(1, cache.Hits);

        _bob.Revoke(_bob.Devices[1]);

        var refusal = Assert.Throws<UntrustedDeviceException>(() => PqxdhInitiator.Start(Alice, second, _bob.Verified, signatures: cache));
        Assert.Equal(_bob.Devices[1].Id, refusal.DeviceId);
        Assert.Equal(1, cache.Hits);
    }

    [Fact]
    public void A_bundle_of_another_account_is_refused_on_the_cache_path_too()
    {
        using var carol = TestAccount.Create("carol");
        var cache = new BundleSignatureCache();
        PqxdhInitiator.Start(Alice, Published, _bob.Verified, signatures: cache).Dispose();

        Assert.Throws<UntrustedDeviceException>(() => PqxdhInitiator.Start(Alice, Published, carol.Verified, signatures: cache));
        Assert.Equal(0, cache.Hits);
    }

    private TrustedDeviceSet? VerifiedLog(AccountFingerprint account) =>
        account.Equals(_bob.Fingerprint) ? _bob.Verified : account.Equals(_alice.Fingerprint) ? _alice.Verified : null;

    private sealed class FixedDirectory(byte[] bundle) : IPrekeyDirectory
    {
        public byte[] FetchBundle(SessionAddress device) => bundle;
    }
}
