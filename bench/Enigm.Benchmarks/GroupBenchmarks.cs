using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Messaging.FanOut;
using Enigm.Messaging.Groups;
using Enigm.Messaging.Groups.Delivery;
using Enigm.Messaging.Groups.Roster;
using Enigm.Messaging.Groups.SenderKeys;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.Ratchet;
using Enigm.Messaging.Sessions;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;

namespace Enigm.Benchmarks;

/// <summary>
/// A group send of a 1 KiB message to N member devices (docs/groups.md, docs/benchmarks.md "Groups"), client side:
/// <list type="bullet">
/// <item><c>GroupSend</c>: one sender-key encryption (chain step, AES-256-GCM, Ed25519 signature, state load and
/// store) and the multi-recipient delivery encoding: what the relay stores once.</item>
/// <item><c>GroupSendWithRotation</c>: the same after a rotation (every send rotates here): a new chain and signing key,
/// and the distribution encrypted to each of the N devices over its pairwise session.</item>
/// <item><c>PairwiseFanOut</c>: the anchor, the existing <see cref="FanOutEncryptor"/>: one Triple Ratchet message and
/// one sealed-sender layer per device, over established (answered) sessions.</item>
/// </list>
/// Bytes per send are printed at setup (<c>// bytes</c> lines in the log) and recorded in docs/benchmarks.md.
/// </summary>
[Config(typeof(ShortConfig))]
public class GroupBenchmarks : IPrekeyDirectory
{
    private readonly byte[] _plaintext = RandomNumberGenerator.GetBytes(1024);
    private readonly Dictionary<string, MessagingIdentity> _identities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DevicePrekeys> _prekeys = new(StringComparer.Ordinal);
    private readonly Dictionary<AccountFingerprint, TrustedDeviceSet> _logs = [];
    private SessionCipher _sender = null!;
    private FanOutPlan _plan = null!;
    private GroupMembership _membership = null!;
    private SenderKeyCipher _groupSender = null!;
    private SenderKeyCipher _rotatingSender = null!;

    [Params(10, 100, 1000)]
    public int Devices { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var (self, _) = Device("sender");
        var peers = Enumerable.Range(0, Devices).Select(i => Device($"peer{i}")).ToList();
        TrustedDeviceSet? Logs(AccountFingerprint a) => _logs.GetValueOrDefault(a);
        _sender = new SessionCipher(self, new InMemoryPrekeyStore(), new InMemoryRatchetSessionStore(), this, Logs);

        // Establish every pairwise session and let each peer answer, so fan-out messages carry no PQXDH initial message.
        _plan = new FanOutPlan([.. peers.Select(p => new FanOutTarget(p.Identity.Identity.Account, p.Identity.Identity.DeviceId, [], false))], null);
        var first = FanOutEncryptor.Encrypt(_sender, _plan, _plaintext);
        foreach (var (message, (identity, store)) in first.Zip(peers))
        {
            var cipher = new SessionCipher(identity, store, new InMemoryRatchetSessionStore(), this, Logs);
            cipher.Decrypt(message.Envelope);
            _sender.Decrypt(cipher.Encrypt(new SessionAddress(self.Identity.Account, self.Identity.DeviceId), "ok"u8).Envelope);
        }

        var addresses = peers.Select(p => new SessionAddress(p.Identity.Identity.Account, p.Identity.Identity.DeviceId)).ToList();
        var selfAddress = new SessionAddress(self.Identity.Account, self.Identity.DeviceId);
        _membership = new GroupMembership(GroupId.New(), null, [selfAddress, .. addresses]);
        _groupSender = new SenderKeyCipher(selfAddress, new InMemorySenderKeyStore());
        _groupSender.Encrypt(_membership, _plaintext);
        _rotatingSender = new SenderKeyCipher(selfAddress, new InMemorySenderKeyStore(), new SenderKeyOptions { RotateAfterMessages = 1 });

        var fanOutBytes = FanOutEncryptor.Encrypt(_sender, _plan, _plaintext).Sum(m => (long)m.Envelope.Length);
        var groupBytes = GroupSend();
        var rotationBytes = GroupSendWithRotation();
        Console.WriteLine($"// bytes N={Devices}: group send {groupBytes}, group send with rotation {rotationBytes}, pairwise fan-out {fanOutBytes}");
    }

    [Benchmark]
    public long GroupSend()
    {
        var sent = _groupSender.Encrypt(_membership, _plaintext);
        return GroupDelivery.For(sent.Message, sent.Recipients).Encode().Length;
    }

    [Benchmark]
    public long GroupSendWithRotation()
    {
        var sent = _rotatingSender.Encrypt(_membership, _plaintext);
        long bytes = GroupDelivery.For(sent.Message, sent.Recipients).Encode().Length;
        foreach (var device in sent.DistributeTo) bytes += _sender.Encrypt(device, sent.Distribution).Envelope.Length;
        return bytes;
    }

    [Benchmark(Baseline = true)]
    public long PairwiseFanOut() => FanOutEncryptor.Encrypt(_sender, _plan, _plaintext).Sum(m => (long)m.Envelope.Length);

    public byte[] FetchBundle(SessionAddress device)
    {
        var full = PrekeyBundle.Decode(_prekeys[device.StoreKey].PublishBundle());
        return full.WithOnly(full.OneTimePrekeys.FirstOrDefault()?.Id, full.OneTimeKemPrekeys.FirstOrDefault()?.Id).Encode();
    }

    /// <summary>A device of its own account: device log, messaging identity and prekeys, all in memory.</summary>
    private (MessagingIdentity Identity, InMemoryPrekeyStore Store) Device(string name)
    {
        var key = CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519).GenerateKey();
        var id = DeviceLogWriter.DeviceIdFor(key);
        var log = DeviceLogWriter.CreateGenesis(id, name, key).State;
        _logs[log.Account] = log;
        var identity = MessagingIdentity.Create(log, id, key);
        var store = new InMemoryPrekeyStore();
        var address = new SessionAddress(log.Account, id).StoreKey;
        _identities[address] = identity;
        _prekeys[address] = new DevicePrekeys(identity, key, store, new PrekeyPolicy(OneTimePrekeys: 1, OneTimeKemPrekeys: 1));
        return (identity, store);
    }
}
