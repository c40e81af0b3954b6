using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Messaging.Calls;
using Enigm.Messaging.Prekeys;
using Enigm.Trust.DeviceLog;

namespace Enigm.Benchmarks;

/// <summary>
/// Two-device call setup both sides, in memory (docs/calls.md): the host's offer (X-Wing key generation), the
/// callee's trust and offer checks and answer (X-Wing encapsulation, and with a direct offer its epoch-0 SFrame keys
/// from the call secret), the host's completion (decapsulation, transcript, call secret, SAS) and admission (its
/// epoch-0 SFrame keys). <see cref="TwoPartySetupWithFirstRekey"/> is the setup before epoch 0 came from the call
/// secret: the host drew a random epoch secret, wrapped it under the link and the callee unwrapped it (one more
/// signalling message, one more network trip). Network time is not included; a third member's join adds one such
/// setup plus one rekey per member.
/// </summary>
[Config(typeof(ShortConfig))]
public class CallSetupBenchmarks
{
    private VerifiedIdentity _alice = null!;
    private VerifiedIdentity _bob = null!;
    private VerifiedIdentity[] _trusted = null!;

    [GlobalSetup]
    public void Setup()
    {
        _alice = Identity().Identity;
        _bob = Identity().Identity;
        _trusted = [_alice];
    }

    /// <summary>The two-party setup as the client runs it: a direct offer, epoch 0 from the call secret.</summary>
    [Benchmark]
    public string TwoPartySetupBothSides()
    {
        using var host = new CallHost(_alice);
        using var invitation = host.Invite(_bob, direct: true);
        var ringing = IncomingCall.Receive(invitation.Offer, _bob, _alice, _trusted);
        var (bob, answer) = ringing.Accept();
        using (bob)
        {
            if (host.Admit(invitation.Complete(answer, _bob)).Count != 0) throw new InvalidOperationException("a direct answer needs no rekey");
            return bob.Sas;
        }
    }

    /// <summary>The anchor: the same setup keyed by a rekey after the answer (a device rung among several, or a joiner).</summary>
    [Benchmark(Baseline = true)]
    public string TwoPartySetupWithFirstRekey()
    {
        using var host = new CallHost(_alice);
        using var invitation = host.Invite(_bob);
        var ringing = IncomingCall.Receive(invitation.Offer, _bob, _alice, _trusted);
        var (bob, answer) = ringing.Accept();
        using (bob)
        {
            var rekeys = host.Admit(invitation.Complete(answer, _bob));
            bob.ApplyRekey(rekeys[0].Message, _alice);
            return bob.Sas;
        }
    }

    private static MessagingIdentity Identity()
    {
        var key = CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519).GenerateKey();
        var id = DeviceLogWriter.DeviceIdFor(key);
        return MessagingIdentity.Create(DeviceLogVerifier.Verify(DeviceLogWriter.CreateGenesis(id, "bench", key).Entries), id, key);
    }
}
