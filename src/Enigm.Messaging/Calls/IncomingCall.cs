using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Messaging.Calls.SFrame;
using Enigm.Messaging.Calls.Signals;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;

namespace Enigm.Messaging.Calls;

/// <summary>
/// A received offer that passed every check and may ring: the sender is one of the trusted, unrevoked devices the
/// caller of <see cref="Receive"/> passed (the trust decision is the application's, made on verified device logs),
/// the offer names that sender and this device, and its suite is a registered one.
/// </summary>
public sealed class IncomingCall
{
    private readonly VerifiedIdentity _self;
    private readonly CallOffer _offer;
    private readonly byte[] _offerBytes;
    private bool _answered;

    private IncomingCall(VerifiedIdentity self, VerifiedIdentity caller, CallOffer offer, byte[] offerBytes, SFrameCipherSuite suite)
    {
        _self = self;
        _offer = offer;
        _offerBytes = offerBytes;
        Caller = caller;
        Suite = suite;
    }

    public VerifiedIdentity Caller { get; }

    public byte[] CallId => _offer.CallId;

    public SFrameCipherSuite Suite { get; }

    /// <summary>
    /// Checks an offer before the device rings. <paramref name="from"/> is the sender the pairwise session
    /// authenticated; <paramref name="trustedDevices"/> the devices allowed to ring now. Refusals:
    /// <see cref="UntrustedDeviceException"/> (sender not among them), <see cref="CallSetupException"/> (the offer
    /// names another sender or recipient, or an unregistered suite), <see cref="Crypto.Errors.MalformedInputException"/>.
    /// </summary>
    public static IncomingCall Receive(ReadOnlyMemory<byte> offer, VerifiedIdentity self, VerifiedIdentity from, IEnumerable<VerifiedIdentity> trustedDevices)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(trustedDevices);
        if (!trustedDevices.Contains(from))
            throw new UntrustedDeviceException(from.Account.Hex, from.DeviceId, "it is not among the trusted, unrevoked devices allowed to ring this device");

        var bytes = offer.ToArray();
        var parsed = CallSignal.Decode<CallOffer>(bytes);
        if (!parsed.CallerBinding.AsSpan().SequenceEqual(from.Binding))
            throw new CallSetupException($"The offer names another caller than {from}, the device that sent it.");
        if (!parsed.CalleeBinding.AsSpan().SequenceEqual(self.Binding))
            throw new CallSetupException("The offer is addressed to another device.");
        var suite = SFrameCipherSuite.FromId(parsed.SuiteId);
        return new IncomingCall(self, from, parsed, bytes, suite);
    }

    /// <summary>
    /// Answers: encapsulates to the offer's ephemeral key and returns the member (its link and SAS) and the
    /// encoded <see cref="CallAnswer"/> to send back. Media starts at once for a direct (two-party) offer, whose epoch 0
    /// derives from the call secret (<see cref="CallLink.FirstEpochSecret"/>), else at the host's first rekey.
    /// </summary>
    public (CallParticipant Participant, byte[] Answer) Accept(CryptoProviders? providers = null)
    {
        // One answer per offer: a second one would give the caller two transcripts to choose from.
        if (_answered) throw new CallStateException("This offer was already answered.");
        _answered = true;
        providers ??= CryptoProviders.Default;
        using var encapsulation = providers.Kem(KemAlgorithm.XWing).Encapsulate(_offer.EphemeralKey);
        var answer = new CallAnswer(_offer.CallId, CallSignal.Hash(_offerBytes), encapsulation.Ciphertext).Encode();
        var transcript = CallTranscript.Hash(_offerBytes, answer);
        var link = new CallLink(_offer.CallId, Suite, _self, Caller, transcript,
            CallTranscript.CallSecret(encapsulation.SharedSecret, transcript),
            CallTranscript.ShortAuthenticationString(encapsulation.SharedSecret, transcript), _offer.Direct);
        var participant = new CallParticipant(link);
        if (_offer.Direct) participant.EnterFirstEpoch(_offer.CallerBinding);
        return (participant, answer);
    }
}
