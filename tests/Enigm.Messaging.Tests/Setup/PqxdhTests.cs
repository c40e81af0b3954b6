using Enigm.Crypto.Errors;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.Setup;
using Enigm.Messaging.Tests.Support;
using Xunit;

namespace Enigm.Messaging.Tests.Setup;

public sealed class PqxdhTests : IDisposable
{
    private readonly TestAccount _alice = TestAccount.Create("alice");
    private readonly TestAccount _bob = TestAccount.Create("bob");

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    private TestDevice Bob => _bob.Primary;

    private VerifiedIdentity AliceIdentity => IdentityCertificate.Verify(_alice.Primary.Identity.Certificate, _alice.Verified);

    private VerifiedPrekeyBundle FetchBundle(bool withOneTimeKeys = true)
    {
        var full = PrekeyBundle.Decode(Bob.Prekeys.PublishBundle());
        var fetched = withOneTimeKeys ? full.WithOnly(full.OneTimePrekeys[0].Id, full.OneTimeKemPrekeys[0].Id) : full.WithOnly(null, null);
        return PrekeyBundleVerifier.Verify(fetched.Encode(), _bob.Verified);
    }

    private PqxdhResponse Accept(byte[] initialMessage, VerifiedIdentity? initiator = null) =>
        PqxdhResponder.Accept(Bob.Identity, Bob.Store, initiator ?? AliceIdentity, initialMessage);

    [Fact]
    public void Both_sides_derive_the_same_SK_and_AD_and_the_ratchet_gets_the_signed_prekey()
    {
        var bundle = FetchBundle();
        using var alice = PqxdhInitiator.Start(_alice.Primary.Identity, bundle);
        using var bob = Accept(alice.InitialMessage);

        Assert.Equal(32, alice.SharedSecret.Length);
        Assert.True(alice.SharedSecret.FixedTimeEquals(bob.SharedSecret.Span));
        Assert.Equal(alice.AssociatedData, bob.AssociatedData);
        Assert.Equal(130, alice.AssociatedData.Length);
        Assert.Equal(bundle.SignedPrekey.Key, alice.ResponderRatchetPublicKey);
        Assert.Equal(alice.ResponderRatchetPublicKey, bob.ResponderRatchetPrivateKey.PublicKey);
        Assert.Equal(_alice.Primary.Identity.Identity, bob.Initiator);
    }

    [Fact]
    public void AD_starts_with_both_encoded_identity_keys_and_ends_with_both_identity_bindings()
    {
        using var alice = PqxdhInitiator.Start(_alice.Primary.Identity, FetchBundle());
        var ad = alice.AssociatedData;

        Assert.Equal([0x05, .. _alice.Primary.Identity.Identity.IdentityKey], ad[..33]);
        Assert.Equal([0x05, .. Bob.Identity.Identity.IdentityKey], ad[33..66]);
        Assert.Equal(_alice.Primary.Identity.Identity.Binding, ad[66..98]);
        Assert.Equal(Bob.Identity.Identity.Binding, ad[98..]);
    }

    [Fact]
    public void Without_one_time_prekeys_the_last_resort_KEM_key_is_used_and_both_sides_agree()
    {
        using var alice = PqxdhInitiator.Start(_alice.Primary.Identity, FetchBundle(withOneTimeKeys: false));
        var message = PqxdhInitialMessage.Decode(alice.InitialMessage);
        using var bob = Accept(alice.InitialMessage);

        Assert.True(message.KemPrekeyIsLastResort);
        Assert.Null(message.OneTimePrekeyId);
        Assert.True(alice.SharedSecret.FixedTimeEquals(bob.SharedSecret.Span));
    }

    [Fact]
    public void A_one_time_prekey_is_deleted_once_used_and_a_second_use_is_refused()
    {
        using var alice = PqxdhInitiator.Start(_alice.Primary.Identity, FetchBundle());
        var message = PqxdhInitialMessage.Decode(alice.InitialMessage);
        Accept(alice.InitialMessage).Dispose();

        Assert.Null(Bob.Store.Get(PrekeyKind.OneTimePrekey, message.OneTimePrekeyId!.Value));
        Assert.Null(Bob.Store.Get(PrekeyKind.OneTimeKemPrekey, message.KemPrekeyId));
        Assert.Throws<PrekeyUnavailableException>(() => Accept(alice.InitialMessage));
    }

    [Fact]
    public void A_second_initiator_handed_the_same_one_time_prekeys_by_the_server_is_refused()
    {
        var bundle = FetchBundle();
        using var first = PqxdhInitiator.Start(_alice.Primary.Identity, bundle);
        using var carol = TestAccount.Create("carol");
        using var second = PqxdhInitiator.Start(carol.Primary.Identity, bundle);
        Accept(first.InitialMessage).Dispose();

        Assert.Throws<PrekeyUnavailableException>(() =>
            PqxdhResponder.Accept(Bob.Identity, Bob.Store, IdentityCertificate.Verify(carol.Primary.Identity.Certificate, carol.Verified), second.InitialMessage));
    }

    [Fact]
    public void A_replayed_message_that_used_only_the_last_resort_key_is_refused()
    {
        using var alice = PqxdhInitiator.Start(_alice.Primary.Identity, FetchBundle(withOneTimeKeys: false));
        Accept(alice.InitialMessage).Dispose();

        Assert.Throws<SetupReplayException>(() => Accept(alice.InitialMessage));
    }

    [Fact]
    public void A_one_time_prekey_id_that_was_never_issued_is_refused_and_nothing_is_consumed()
    {
        using var alice = PqxdhInitiator.Start(_alice.Primary.Identity, FetchBundle());
        var message = PqxdhInitialMessage.Decode(alice.InitialMessage);
        var wrong = (message with { OneTimePrekeyId = 424_242 }).Encode();

        var error = Assert.Throws<PrekeyUnavailableException>(() => Accept(wrong));
        Assert.Equal(424_242u, error.PrekeyId);
        Assert.NotNull(Bob.Store.Get(PrekeyKind.OneTimeKemPrekey, message.KemPrekeyId));
    }

    [Fact]
    public void A_wrong_one_time_prekey_gives_the_two_sides_different_keys()
    {
        using var alice = PqxdhInitiator.Start(_alice.Primary.Identity, FetchBundle());
        var message = PqxdhInitialMessage.Decode(alice.InitialMessage);
        var other = Bob.Store.List(PrekeyKind.OneTimePrekey).First(k => k.Id != message.OneTimePrekeyId).Id;

        using var bob = Accept((message with { OneTimePrekeyId = other }).Encode());

        Assert.False(alice.SharedSecret.FixedTimeEquals(bob.SharedSecret.Span));
    }

    [Fact]
    public void A_retired_signed_prekey_is_refused()
    {
        using var alice = PqxdhInitiator.Start(_alice.Primary.Identity, FetchBundle());
        var message = PqxdhInitialMessage.Decode(alice.InitialMessage);
        Bob.Store.Delete(PrekeyKind.SignedPrekey, message.SignedPrekeyId);

        Assert.Throws<PrekeyUnavailableException>(() => Accept(alice.InitialMessage));
    }

    [Fact]
    public void An_identity_key_that_is_not_the_senders_certified_one_is_refused()
    {
        using var alice = PqxdhInitiator.Start(_alice.Primary.Identity, FetchBundle());
        using var carol = TestAccount.Create("carol");

        Assert.Throws<IdentityMismatchException>(() => Accept(alice.InitialMessage, IdentityCertificate.Verify(carol.Primary.Identity.Certificate, carol.Verified)));
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157")]
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")]
    [InlineData("0900000000000000000000000000000000000000000000000000000000000080")]
    public void A_low_order_or_non_canonical_ephemeral_key_is_refused_before_any_prekey_is_used(string hex)
    {
        using var alice = PqxdhInitiator.Start(_alice.Primary.Identity, FetchBundle());
        var message = PqxdhInitialMessage.Decode(alice.InitialMessage);

        Assert.Throws<SetupKeyInvalidException>(() => Accept((message with { EphemeralKey = Convert.FromHexString(hex) }).Encode()));
        Assert.NotNull(Bob.Store.Get(PrekeyKind.OneTimePrekey, message.OneTimePrekeyId!.Value));
    }

    [Fact]
    public void A_tampered_KEM_ciphertext_gives_different_keys_never_the_same_SK()
    {
        using var alice = PqxdhInitiator.Start(_alice.Primary.Identity, FetchBundle());
        var message = PqxdhInitialMessage.Decode(alice.InitialMessage);
        var ciphertext = Bytes.Flip(message.KemCiphertext, 10);

        using var bob = Accept((message with { KemCiphertext = ciphertext }).Encode());

        Assert.False(alice.SharedSecret.FixedTimeEquals(bob.SharedSecret.Span));
    }

    [Fact]
    public void Initial_message_round_trips_and_rejects_malformed_input()
    {
        using var alice = PqxdhInitiator.Start(_alice.Primary.Identity, FetchBundle());
        var encoded = alice.InitialMessage;

        Assert.Equal(encoded, PqxdhInitialMessage.Decode(encoded).Encode());
        Assert.InRange(encoded.Length, 1648, 1664); // 1,648 with one-byte ids, 1,664 at most
        Assert.Throws<MalformedInputException>(() => PqxdhInitialMessage.Decode(encoded.AsMemory(0, encoded.Length - 1)));
        Assert.Throws<MalformedInputException>(() => PqxdhInitialMessage.Decode(encoded.Append((byte)0).ToArray()));
        Assert.Throws<MalformedInputException>(() => PqxdhInitialMessage.Decode(new byte[PqxdhInitialMessage.MaxEncodedSize + 1]));
    }

    [Fact]
    public void Sessions_with_two_devices_of_one_account_have_unrelated_keys()
    {
        var second = _bob.AddDevice();
        var bundle2 = PrekeyBundleVerifier.Verify(second.Prekeys.PublishBundle(), _bob.Verified);
        using var toFirst = PqxdhInitiator.Start(_alice.Primary.Identity, FetchBundle());
        using var toSecond = PqxdhInitiator.Start(_alice.Primary.Identity, bundle2);

        Assert.False(toFirst.SharedSecret.FixedTimeEquals(toSecond.SharedSecret.Span));
        Assert.NotEqual(toFirst.AssociatedData, toSecond.AssociatedData);
    }
    [Fact]
    public void Of_two_concurrent_accepts_of_one_message_exactly_one_succeeds()
    {
        using var alice = PqxdhInitiator.Start(_alice.Primary.Identity, FetchBundle());
        var identity = AliceIdentity;

        var outcomes = new Exception?[8];
        Parallel.For(0, outcomes.Length, i => outcomes[i] = Record.Exception(() => Accept(alice.InitialMessage, identity).Dispose()));

        Assert.Single(outcomes, o => o is null);
        Assert.All(outcomes.Where(o => o is not null), o => Assert.IsType<PrekeyUnavailableException>(o));
    }

    [Fact]
    public void A_message_refused_after_its_one_time_prekey_was_taken_puts_the_prekey_back()
    {
        using var alice = PqxdhInitiator.Start(_alice.Primary.Identity, FetchBundle());
        var message = PqxdhInitialMessage.Decode(alice.InitialMessage);

        Assert.Throws<PrekeyUnavailableException>(() => Accept((message with { KemPrekeyId = 777_777 }).Encode()));

        Assert.NotNull(Bob.Store.Get(PrekeyKind.OneTimePrekey, message.OneTimePrekeyId!.Value));
        using var bob = Accept(alice.InitialMessage);
        Assert.True(alice.SharedSecret.FixedTimeEquals(bob.SharedSecret.Span));
    }
}
