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
/// First contact from a fetched bundle (<see cref="PqxdhInitiator.Start(MessagingIdentity, PrekeyBundle, TrustedDeviceSet, Enigm.Crypto.Suites.SuitePolicy?, Enigm.Crypto.Providers.CryptoProviders?, BundleSignatureCache?)"/>):
/// the bundle's signature is checked on a second core while PQXDH runs on its keys, and a bundle whose signature
/// fails is refused with the same error as <see cref="PrekeyBundleVerifier"/> gives, with nothing kept.
/// </summary>
public sealed class PqxdhFirstContactTests : IDisposable
{
    private readonly TestAccount _alice = TestAccount.Create("alice");
    private readonly TestAccount _bob = TestAccount.Create("bob", policy: new PrekeyPolicy(OneTimePrekeys: 40, OneTimeKemPrekeys: 40, LowWaterMark: 2));

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    private MessagingIdentity Alice => _alice.Primary.Identity;

    private VerifiedIdentity AliceIdentity => IdentityCertificate.Verify(Alice.Certificate, _alice.Verified);

    // Published once: every publication is signed afresh, and the cache tests need one signature fetched several times.
    private PrekeyBundle? _published;

    private byte[] FetchedBundle(int index = 0)
    {
        var full = _published ??= PrekeyBundle.Decode(_bob.Primary.Prekeys.PublishBundle());
        return full.WithOnly(full.OneTimePrekeys[index].Id, full.OneTimeKemPrekeys[index].Id).Encode();
    }

    /// <summary>The bundle with one byte of its signature flipped: in the ML-DSA-65 half, the Ed25519 half, or both.</summary>
    public static TheoryData<string> Tamperings() => new() { "ml-dsa half", "ed25519 half", "both halves", "signed part" };

    private byte[] Tampered(string how)
    {
        var encoded = FetchedBundle();
        var bundle = PrekeyBundle.Decode(encoded);
        var signatureAt = Bytes.IndexOf(encoded, bundle.Signature);
        var mlDsaByte = signatureAt + 100;
        var ed25519Byte = signatureAt + bundle.Signature.Length - 3;
        return how switch
        {
            "ml-dsa half" => Bytes.Flip(encoded, mlDsaByte),
            "ed25519 half" => Bytes.Flip(encoded, ed25519Byte),
            "both halves" => Bytes.Flip(Bytes.Flip(encoded, mlDsaByte), ed25519Byte),
            "signed part" => Bytes.Flip(encoded, Bytes.IndexOf(encoded, bundle.SignedPrekey.Key) + 5),
            _ => throw new ArgumentOutOfRangeException(nameof(how)),
        };
    }

    [Fact]
    public void A_fetched_bundle_gives_the_same_session_as_verifying_it_first()
    {
        using var alice = PqxdhInitiator.Start(Alice, FetchedBundle(), _bob.Verified);
        using var bob = PqxdhResponder.Accept(_bob.Primary.Identity, _bob.Primary.Store, AliceIdentity, alice.InitialMessage);

        Assert.True(alice.SharedSecret.FixedTimeEquals(bob.SharedSecret.Span));
        Assert.Equal(alice.AssociatedData, bob.AssociatedData);
        Assert.Equal(_bob.Primary.Identity.Identity, alice.Responder);
    }

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void A_bundle_whose_signature_fails_is_refused_as_the_verifier_refuses_it(string how)
    {
        var tampered = Tampered(how);

        Assert.Throws<PrekeyBundleInvalidException>(() => PrekeyBundleVerifier.Verify(tampered, _bob.Verified));
        Assert.Throws<PrekeyBundleInvalidException>(() => PqxdhInitiator.Start(Alice, tampered, _bob.Verified));
    }

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void A_bundle_whose_signature_fails_is_refused_even_with_a_cache_that_knows_the_genuine_one(string how)
    {
        var cache = new BundleSignatureCache();
        PqxdhInitiator.Start(Alice, FetchedBundle(1), _bob.Verified, signatures: cache).Dispose();

        // A miss (the tampered triple was never verified) must run the verification, twice: a refusal is not remembered.
        Assert.Throws<PrekeyBundleInvalidException>(() => PqxdhInitiator.Start(Alice, Tampered(how), _bob.Verified, signatures: cache));
        Assert.Throws<PrekeyBundleInvalidException>(() => PqxdhInitiator.Start(Alice, Tampered(how), _bob.Verified, signatures: cache));
        Assert.Equal(0, cache.Hits);

        // The genuine bundle, fetched again with other one-time keys, is answered from the cache.
        PqxdhInitiator.Start(Alice, FetchedBundle(2), _bob.Verified, signatures: cache).Dispose();
        Assert.Equal(1, cache.Hits);
    }

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void A_session_cipher_given_a_bad_bundle_refuses_it_and_stores_no_session(string how)
    {
        var sessions = new InMemoryRatchetSessionStore();
        var bob = new SessionAddress(_bob.Fingerprint, _bob.Primary.Id);
        var cipher = new SessionCipher(Alice, _alice.Primary.Store, sessions, new FixedDirectory(Tampered(how)), VerifiedLog);

        Assert.Throws<PrekeyBundleInvalidException>(() => cipher.Encrypt(bob, "hello"u8));
        Assert.False(cipher.HasSession(bob));
        Assert.Null(sessions.Load(bob.StoreKey));
    }

    [Fact]
    public void A_bundle_of_a_device_the_log_does_not_trust_is_refused_before_any_work()
    {
        using var carol = TestAccount.Create("carol");

        Assert.Throws<UntrustedDeviceException>(() => PqxdhInitiator.Start(Alice, FetchedBundle(), carol.Verified));
    }

    [Fact]
    public void Sessions_set_up_from_32_threads_at_once_all_agree_on_their_keys()
    {
        var bundles = Enumerable.Range(0, 32).Select(FetchedBundle).ToArray();
        var bobIdentity = _bob.Primary.Identity;
        var aliceIdentity = AliceIdentity;
        var agreed = new bool[bundles.Length];
        var secrets = new byte[bundles.Length][];

        Parallel.For(0, bundles.Length, new ParallelOptions { MaxDegreeOfParallelism = 32 }, i =>
        {
            using var alice = PqxdhInitiator.Start(Alice, bundles[i], _bob.Verified);
            using var bob = PqxdhResponder.Accept(bobIdentity, _bob.Primary.Store, aliceIdentity, alice.InitialMessage);
            agreed[i] = alice.SharedSecret.FixedTimeEquals(bob.SharedSecret.Span) && alice.AssociatedData.AsSpan().SequenceEqual(bob.AssociatedData);
            secrets[i] = alice.SharedSecret.Span.ToArray();
        });

        Assert.All(agreed, Assert.True);
        Assert.Equal(bundles.Length, secrets.Select(Convert.ToHexString).Distinct().Count());
    }

    private TrustedDeviceSet? VerifiedLog(AccountFingerprint account) =>
        account.Equals(_bob.Fingerprint) ? _bob.Verified : account.Equals(_alice.Fingerprint) ? _alice.Verified : null;

    private sealed class FixedDirectory(byte[] bundle) : IPrekeyDirectory
    {
        public byte[] FetchBundle(SessionAddress device) => bundle;
    }
}
