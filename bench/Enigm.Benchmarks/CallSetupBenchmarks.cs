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
/// callee's trust and offer checks and answer (X-Wing encapsulation), the host's completion (decapsulation,
/// transcript, call secret, SAS), admission with the first epoch (epoch secret wrapped under the link, SFrame keys)
/// and the callee's rekey (unwrap, SFrame keys). Network time is not included; a third member's join adds one
/// such setup plus one rekey per member.
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

    [Benchmark]
    public string TwoPartySetupBothSides()
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
