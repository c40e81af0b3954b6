using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Messaging.Calls;
using Enigm.Messaging.Calls.Signals;
using Enigm.Messaging.Errors;
using Xunit;

namespace Enigm.Messaging.Tests.Calls;

/// <summary>Offer/answer between two trusted devices, its refusals, and the SAS against a man in the middle.</summary>
public sealed class CallSetupTests(CallDevices devices) : IClassFixture<CallDevices>
{
    private (CallHost Host, CallParticipant Bob, IReadOnlyList<OutgoingCallSignal> Rekeys) Connect()
    {
        var host = new CallHost(devices.Alice);
        using var invitation = host.Invite(devices.Bob);
        var ringing = IncomingCall.Receive(invitation.Offer, devices.Bob, devices.Alice, devices.Trusted);
        var (bob, answer) = ringing.Accept();
        var link = invitation.Complete(answer, devices.Bob);
        Assert.Equal(link.Sas, bob.Sas);
        return (host, bob, host.Admit(link));
    }

    [Fact]
    public void Both_sides_derive_the_same_sas_and_exchange_media()
    {
        var (host, bob, rekeys) = Connect();
        using (host)
        using (bob)
        {
            Assert.Matches("^[ybndrfg8ejkmcpqxot1uwisza345h769]{4}$", bob.Sas);
            var rekey = Assert.Single(rekeys);
            Assert.Equal(devices.Bob, rekey.Recipient);
            bob.ApplyRekey(rekey.Message, devices.Alice);
            Assert.Equal(1, bob.Index);

            var audio = new byte[160];
            Random.Shared.NextBytes(audio);
            Assert.Equal(audio, bob.Media.Unprotect(host.Media.Protect(audio)));
            Assert.Equal(audio, host.Media.Unprotect(bob.Media.Protect(audio)));
        }
    }

    [Fact]
    public void Two_calls_between_the_same_devices_have_different_sas_inputs()
    {
        var (host1, bob1, _) = Connect();
        var (host2, bob2, _) = Connect();
        using (host1)
        using (bob1)
        using (host2)
        using (bob2)
        {
            Assert.NotEqual(bob1.Link.TranscriptHash, bob2.Link.TranscriptHash);
            Assert.NotEqual(bob1.CallId, bob2.CallId);
        }
    }

    [Fact]
    public void An_untrusted_device_cannot_ring()
    {
        using var mallorysCall = new CallHost(devices.Mallory);
        using var invitation = mallorysCall.Invite(devices.Bob);
        var error = Assert.Throws<UntrustedDeviceException>(() => IncomingCall.Receive(invitation.Offer, devices.Bob, devices.Mallory, devices.Trusted));
        Assert.Equal(devices.Mallory.DeviceId, error.DeviceId);
    }

    [Fact]
    public void A_revoked_device_left_out_of_the_trusted_set_cannot_ring()
    {
        using var host = new CallHost(devices.Alice);
        using var invitation = host.Invite(devices.Bob);
        var stillTrusted = devices.Trusted.Where(d => !d.Equals(devices.Alice));
        Assert.Throws<UntrustedDeviceException>(() => IncomingCall.Receive(invitation.Offer, devices.Bob, devices.Alice, stillTrusted));
    }

    [Fact]
    public void Refuses_an_offer_addressed_to_another_device()
    {
        using var host = new CallHost(devices.Alice);
        using var invitation = host.Invite(devices.Carol);
        Assert.Throws<CallSetupException>(() => IncomingCall.Receive(invitation.Offer, devices.Bob, devices.Alice, devices.Trusted));
    }

    [Fact]
    public void Refuses_an_offer_forwarded_by_another_trusted_device()
    {
        using var host = new CallHost(devices.Alice);
        using var invitation = host.Invite(devices.Bob);
        Assert.Throws<CallSetupException>(() => IncomingCall.Receive(invitation.Offer, devices.Bob, devices.Carol, devices.Trusted));
    }

    [Fact]
    public void Refuses_an_answer_from_another_device_or_to_another_offer()
    {
        using var host = new CallHost(devices.Alice);
        using var toBob = host.Invite(devices.Bob);
        using var toCarol = host.Invite(devices.Carol);
        var (carol, carolsAnswer) = IncomingCall.Receive(toCarol.Offer, devices.Carol, devices.Alice, devices.Trusted).Accept();
        using (carol)
        {
            Assert.Throws<CallSetupException>(() => toBob.Complete(carolsAnswer, devices.Carol));
            Assert.Throws<CallSetupException>(() => toBob.Complete(carolsAnswer, devices.Bob));
            using var link = toCarol.Complete(carolsAnswer, devices.Carol);
            Assert.Throws<CallStateException>(() => toCarol.Complete(carolsAnswer, devices.Carol));
        }
    }

    [Fact]
    public void A_man_in_the_middle_who_swaps_the_ephemeral_keys_gets_a_different_sas_on_each_side()
    {
        // Mallory controls the path (a compromised relay and pairwise channel): she replaces Alice's ephemeral key
        // with her own towards Bob, and answers Alice herself.
        var xwing = CryptoProviders.Default.Kem(KemAlgorithm.XWing);
        using var host = new CallHost(devices.Alice);
        using var invitation = host.Invite(devices.Bob);
        var offer = CallSignal.Decode<CallOffer>(invitation.Offer);
        using var mallorysKey = xwing.GenerateKeyPair();
        var forgedOffer = (offer with { EphemeralKey = mallorysKey.PublicKey }).Encode();

        var (bob, _) = IncomingCall.Receive(forgedOffer, devices.Bob, devices.Alice, devices.Trusted).Accept();
        using var toAlice = xwing.Encapsulate(offer.EphemeralKey);
        var forgedAnswer = new CallAnswer(offer.CallId, CallSignal.Hash(invitation.Offer), toAlice.Ciphertext).Encode();
        using var alicesLink = invitation.Complete(forgedAnswer, devices.Bob);
        using (bob)
        {
            Assert.NotEqual(alicesLink.TranscriptHash, bob.Link.TranscriptHash);
            Assert.NotEqual(alicesLink.Sas, bob.Sas);
        }
    }

    [Fact]
    public void A_changed_answer_ciphertext_changes_the_sas()
    {
        using var host = new CallHost(devices.Alice);
        using var invitation = host.Invite(devices.Bob);
        var (bob, answer) = IncomingCall.Receive(invitation.Offer, devices.Bob, devices.Alice, devices.Trusted).Accept();
        var parsed = CallSignal.Decode<CallAnswer>(answer);
        var ciphertext = (byte[])parsed.Ciphertext.Clone();
        ciphertext[10] ^= 0x01; // ML-KEM implicit rejection: a different shared secret, no error
        using var alicesLink = invitation.Complete((parsed with { Ciphertext = ciphertext }).Encode(), devices.Bob);
        using (bob)
        {
            Assert.NotEqual(alicesLink.Sas, bob.Sas);
        }
    }

    [Fact]
    public void A_rekey_from_a_tampered_setup_does_not_open()
    {
        using var host = new CallHost(devices.Alice);
        using var invitation = host.Invite(devices.Bob);
        var (bob, answer) = IncomingCall.Receive(invitation.Offer, devices.Bob, devices.Alice, devices.Trusted).Accept();
        var parsed = CallSignal.Decode<CallAnswer>(answer);
        var ciphertext = (byte[])parsed.Ciphertext.Clone();
        ciphertext[^1] ^= 0x01;
        var link = invitation.Complete((parsed with { Ciphertext = ciphertext }).Encode(), devices.Bob);
        var rekey = Assert.Single(host.Admit(link));
        using (bob)
        {
            Assert.Throws<CallSetupException>(() => bob.ApplyRekey(rekey.Message, devices.Alice));
        }
    }
}
