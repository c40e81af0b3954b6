using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Messaging.Calls.SFrame;
using Enigm.Messaging.Calls.Signals;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;

namespace Enigm.Messaging.Calls;

/// <summary>
/// The caller's side of one offer/answer: holds the ephemeral X-Wing private key until the answer arrives, then
/// gives the <see cref="CallLink"/>. Send <see cref="Offer"/> to <see cref="Peer"/> over the pairwise session.
/// The ephemeral key is erased after the first answer (or on Dispose), so an offer is answered once.
/// </summary>
public sealed class CallInvitation : IDisposable
{
    private readonly CryptoProviders _providers;
    private readonly SFrameCipherSuite _suite;
    private readonly VerifiedIdentity _self;
    private PrivateKey? _ephemeral;

    internal CallInvitation(VerifiedIdentity self, VerifiedIdentity peer, byte[] callId, SFrameCipherSuite suite, bool direct, CryptoProviders providers)
    {
        _self = self;
        _suite = suite;
        _providers = providers;
        Peer = peer;
        CallId = callId;
        _ephemeral = providers.Kem(KemAlgorithm.XWing).GenerateKeyPair();
        Direct = direct;
        Offer = new CallOffer(callId, suite.Id, self.Binding, peer.Binding, _ephemeral.PublicKey, direct).Encode();
    }

    /// <summary>True when the answer keys epoch 0 directly (a two-party call, <see cref="CallOffer.Direct"/>).</summary>
    public bool Direct { get; }

    public byte[] CallId { get; }

    /// <summary>The device this offer rings.</summary>
    public VerifiedIdentity Peer { get; }

    /// <summary>The encoded <see cref="CallOffer"/>.</summary>
    public byte[] Offer { get; }

    /// <summary>
    /// Checks the answer and derives the link. <paramref name="from"/> is the device the pairwise session says sent
    /// it; an answer from another device, to another offer or for another call is <see cref="CallSetupException"/>.
    /// </summary>
    public CallLink Complete(ReadOnlyMemory<byte> answer, VerifiedIdentity from)
    {
        ArgumentNullException.ThrowIfNull(from);
        var ephemeral = _ephemeral ?? throw new CallStateException("This offer was already answered or withdrawn.");
        if (!from.Equals(Peer))
            throw new CallSetupException($"The answer comes from {from}, not from {Peer}, the device this offer rang.");
        var parsed = CallSignal.Decode<CallAnswer>(answer);
        if (!CryptographicOperations.FixedTimeEquals(parsed.CallId, CallId))
            throw new CallSetupException("The answer is for another call.");
        if (!CryptographicOperations.FixedTimeEquals(parsed.OfferHash, CallSignal.Hash(Offer)))
            throw new CallSetupException("The answer names another offer than the one this device sent.");

        using var shared = _providers.Kem(KemAlgorithm.XWing).Decapsulate(ephemeral, parsed.Ciphertext);
        _ephemeral = null;
        ephemeral.Dispose();
        var transcript = CallTranscript.Hash(Offer, answer.Span);
        return new CallLink(CallId, _suite, _self, Peer, transcript, CallTranscript.CallSecret(shared, transcript), CallTranscript.ShortAuthenticationString(shared, transcript), Direct);
    }

    public void Dispose()
    {
        _ephemeral?.Dispose();
        _ephemeral = null;
    }
}
