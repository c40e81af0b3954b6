using System.Text;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Secrets;
using Enigm.Messaging.Envelope;
using Enigm.Messaging.Errors;
using Enigm.Messaging.FanOut;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.Ratchet;
using Enigm.Messaging.SealedSender;
using Enigm.Messaging.Sessions;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Errors;
using Enigm.Trust.States;

namespace Enigm.Cli.Demo;

/// <summary>
/// Chapter 5: end-to-end messaging in memory (the relay comes with the next issue; here it is a list of envelopes).
/// Alice's phone sets up a session with Bob's laptop (PQXDH against a bundle verified through Bob's device log),
/// they converse with messages lost and reordered, a post-quantum epoch of the Triple Ratchet completes, one message
/// fans out to Bob's three devices in sealed-sender envelopes, a revoked device receives nothing, and tampered
/// messages are refused. See docs/protocol.md.
/// </summary>
public sealed class MessagingChapter : IDemoChapter
{
    public string Name => "messaging";

    public string Title => "Messaging: PQXDH, the Triple Ratchet, sealed sender, multi-device fan-out";

    public void Run(ChapterContext context)
    {
        using var network = new DemoNetwork(context);
        var alice = network.AddAccount("Alice", "phone");
        var bob = network.AddAccount("Bob", "laptop", "phone", "tablet");
        var phone = alice.Devices[0];
        var laptop = bob.Devices[0];

        Setup(context, phone, laptop);
        LossAndReordering(context, phone, laptop);
        PostQuantumEpoch(context, phone, laptop);
        FanOut(context, network, alice, bob);
        Revocation(context, network, alice, bob);
        Tampering(context, network, phone, laptop);
    }

    private static void Setup(ChapterContext context, DemoDevice alice, DemoDevice bob)
    {
        context.Step("Alice's phone fetches the prekey bundle of Bob's laptop, verifies it through Bob's device log, and runs PQXDH (X25519 ×4 + ML-KEM-1024)");
        var first = alice.Cipher.Encrypt(bob.Address, "Hi Bob, it's Alice."u8);
        context.Info($"first envelope: {first.Envelope.Length} bytes (sealed sender around the PQXDH initial message and the first ratchet message)");
        var received = bob.Cipher.Decrypt(first.Envelope);
        context.Check("Bob's laptop set up its side from the initial message and read the first message", () =>
            first.Event == SessionEvent.Established && received.Event == SessionEvent.Established && Text(received) == "Hi Bob, it's Alice.");
        context.Check("the sender Bob sees is Alice's phone, verified against her device log", () => received.From == alice.Address);
        context.Check("until Bob answers, Alice keeps sending the initial message", () => alice.Cipher.Describe(bob.Address)!.AwaitingAnswer);
        alice.Cipher.Decrypt(bob.Cipher.Encrypt(alice.Address, "Hi Alice!"u8).Envelope);
        context.Check("once Bob's answer arrives, Alice stops sending it", () => !alice.Cipher.Describe(bob.Address)!.AwaitingAnswer);
    }

    private static void LossAndReordering(ChapterContext context, DemoDevice alice, DemoDevice bob)
    {
        context.Step("Alice sends 8 messages; the network loses 2 and delivers the rest in another order");
        var sent = Enumerable.Range(1, 8).Select(i => (Text: $"message {i}", alice.Cipher.Encrypt(bob.Address, Encoding.UTF8.GetBytes($"message {i}")).Envelope)).ToList();
        int[] order = [7, 0, 5, 2, 6, 3];
        context.Info($"delivered in the order {string.Join(", ", order.Select(i => i + 1))}; 2 and 5 lost");
        var read = order.Select(i => Text(bob.Cipher.Decrypt(sent[i].Envelope))).ToList();
        context.Check("every delivered message decrypts to its own plaintext", () => read.SequenceEqual(order.Select(i => sent[i].Text)));
        context.Info($"Bob's session holds {bob.Cipher.Describe(alice.Address)!.SkippedKeys} skipped message keys for the lost ones (bounded store)");
        context.Rejects<RatchetReplayException>("a message delivered twice is refused the second time", () => bob.Cipher.Decrypt(sent[7].Envelope));
        context.Check("a lost message arriving late still decrypts", () => Text(bob.Cipher.Decrypt(sent[1].Envelope)) == "message 2");
    }

    private static void PostQuantumEpoch(ChapterContext context, DemoDevice alice, DemoDevice bob)
    {
        context.Step("They keep talking: ML-KEM-768 keys and ciphertexts travel in erasure-coded chunks on ordinary messages until an epoch completes");
        var start = alice.Cipher.Describe(bob.Address)!.PostQuantumEpochs;
        var messages = 0;
        while (messages < 4000 && (alice.Cipher.Describe(bob.Address)!.PostQuantumEpochs <= start || bob.Cipher.Describe(alice.Address)!.PostQuantumEpochs <= start))
        {
            bob.Cipher.Decrypt(alice.Cipher.Encrypt(bob.Address, "a"u8).Envelope);
            alice.Cipher.Decrypt(bob.Cipher.Encrypt(alice.Address, "b"u8).Envelope);
            messages += 2;
        }

        context.Info($"{messages} messages later: Alice at PQ epoch {alice.Cipher.Describe(bob.Address)!.PostQuantumEpochs}, Bob at {bob.Cipher.Describe(alice.Address)!.PostQuantumEpochs}");
        context.Check("a post-quantum epoch completed on both sides, so message keys now also depend on a fresh ML-KEM secret", () =>
            alice.Cipher.Describe(bob.Address)!.PostQuantumEpochs > start && bob.Cipher.Describe(alice.Address)!.PostQuantumEpochs > start);
    }

    private static void FanOut(ChapterContext context, DemoNetwork network, DemoAccount alice, DemoAccount bob)
    {
        context.Step("Alice writes to Bob: the fan-out planner takes Bob's devices from his verified device log; one sealed envelope per device");
        var messages = network.Send(alice, bob, "Dinner at eight?");
        foreach (var message in messages) context.Info($"→ {bob.NameOf(message.To.DeviceId)}: {message.Envelope.Length} bytes, the relay sees only the recipient device");
        var read = bob.Devices.Select(d => (d, network.Receive(d))).ToList();
        context.Check("exactly Bob's three devices got one envelope each", () => messages.Count == 3 && messages.Select(m => m.To.DeviceId).Distinct().Count() == 3);
        context.Check("each of Bob's devices reads the message", () => read.All(r => r.Item2.SequenceEqual(["Dinner at eight?"])));
    }

    private static void Revocation(ChapterContext context, DemoNetwork network, DemoAccount alice, DemoAccount bob)
    {
        var tablet = bob.Devices[2];
        var fromTablet = tablet.Cipher.Encrypt(alice.Devices[0].Address, "sent just before the theft"u8);
        context.Step("Bob's tablet is stolen: his laptop revokes it in his device log");
        bob.Log.RevokeDevice(tablet.Id, "stolen", bob.Devices[0].Id, bob.Devices[0].Key);
        var messages = network.Send(alice, bob, "Did you find your tablet?");
        context.Check("the next message goes to Bob's two remaining devices only", () => messages.Count == 2 && messages.All(m => m.To.DeviceId != tablet.Id));
        context.Check("the relay holds nothing for the revoked tablet", () => network.Collect(tablet).Count == 0);
        foreach (var device in bob.Devices.Take(2)) network.Receive(device);
        context.Rejects<UntrustedDeviceException>("a message from the revoked tablet is refused by Alice", () => alice.Devices[0].Cipher.Decrypt(fromTablet.Envelope));
        context.Rejects<ContactChangedException>("had Bob's account changed keys since Alice verified it, sending would be refused", () =>
            network.Send(alice, bob, "hello?", TrustState.Changed));
    }

    private static void Tampering(ChapterContext context, DemoNetwork network, DemoDevice alice, DemoDevice bob)
    {
        context.Step("The relay, or anyone on the way, tampers with messages");
        var genuine = alice.Cipher.Encrypt(bob.Address, "See you at eight."u8);
        var flipped = (byte[])genuine.Envelope.Clone();
        flipped[^20] ^= 0x01;
        context.Rejects<SealedSenderException>("a flipped bit in the envelope is refused by sealed sender", () => bob.Cipher.Decrypt(flipped));

        var opened = SealedSenderCipher.OpenEnvelope(bob.Identity, genuine.Envelope, network.VerifiedLog);
        var content = (byte[])opened.Content.Clone();
        content[^1] ^= 0x01;
        var resealed = SealedSenderCipher.SealToEnvelope(alice.Identity, bob.Identity.Identity, opened.ContentType, content);
        context.Rejects<RatchetAuthenticationException>("a modified ratchet message inside a valid seal is refused by the ratchet", () => bob.Cipher.Decrypt(resealed));
        context.Check("the session is unharmed: the genuine message still decrypts", () => Text(bob.Cipher.Decrypt(genuine.Envelope)) == "See you at eight.");
    }

    private static string Text(DecryptedMessage message) => Encoding.UTF8.GetString(message.Plaintext);

    /// <summary>A device: its composite device key, messaging identity, prekeys and sessions, all in memory.</summary>
    private sealed class DemoDevice(string id, string name, PrivateKey key, MessagingIdentity identity, InMemoryPrekeyStore store, SessionAddress address, SessionCipher cipher) : IDisposable
    {
        public string Id { get; } = id;

        public string Name { get; } = name;

        public PrivateKey Key { get; } = key;

        public MessagingIdentity Identity { get; } = identity;

        public InMemoryPrekeyStore Store { get; } = store;

        public SessionAddress Address { get; } = address;

        public SessionCipher Cipher { get; } = cipher;

        public DevicePrekeys Prekeys { get; set; } = null!;

        public void Dispose()
        {
            Identity.Dispose();
            Store.Dispose();
            Key.Dispose();
        }
    }

    private sealed class DemoAccount(string name, DeviceLogWriter log)
    {
        public string Name { get; } = name;

        public DeviceLogWriter Log { get; } = log;

        public List<DemoDevice> Devices { get; } = [];

        public string NameOf(string deviceId) => $"{Name}'s {Devices.Single(d => d.Id == deviceId).Name}";
    }

    /// <summary>Accounts, a prekey directory handing each one-time prekey out once, and the relay: a list of envelopes.</summary>
    private sealed class DemoNetwork(ChapterContext context) : IPrekeyDirectory, IDisposable
    {
        private static readonly PrekeyPolicy SmallPolicy = new(OneTimePrekeys: 4, OneTimeKemPrekeys: 4, LowWaterMark: 2);
        private readonly List<DemoAccount> _accounts = [];
        private readonly HashSet<string> _handedOut = new(StringComparer.Ordinal);
        private readonly List<byte[]> _relay = [];

        public DemoAccount AddAccount(string name, params string[] deviceNames)
        {
            var options = new DeviceLogWriterOptions { Providers = context.Providers, Policy = context.Policy };
            var keys = deviceNames.Select(_ => context.Providers.Signature(SignatureAlgorithm.MlDsa65Ed25519).GenerateKey()).ToList();
            var log = DeviceLogWriter.CreateGenesis(DeviceLogWriter.DeviceIdFor(keys[0]), $"{name}'s {deviceNames[0]}", keys[0], options);
            for (var i = 1; i < keys.Count; i++)
                log.AddDevice(DeviceLogWriter.DeviceIdFor(keys[i]), $"{name}'s {deviceNames[i]}", keys[i], DeviceLogWriter.DeviceIdFor(keys[0]), keys[0]);
            var account = new DemoAccount(name, log);
            _accounts.Add(account);
            var verified = VerifiedLog(log.Account)!;
            for (var i = 0; i < keys.Count; i++)
            {
                var id = DeviceLogWriter.DeviceIdFor(keys[i]);
                var identity = MessagingIdentity.Create(verified, id, keys[i], context.Policy, context.Providers);
                var store = new InMemoryPrekeyStore();
                var cipher = new SessionCipher(identity, store, new InMemoryRatchetSessionStore(), this, VerifiedLog, context.Providers, context.Policy);
                var device = new DemoDevice(id, deviceNames[i], keys[i], identity, store, new SessionAddress(log.Account, id), cipher);
                device.Prekeys = new DevicePrekeys(identity, keys[i], store, SmallPolicy, context.Providers);
                account.Devices.Add(device);
            }

            return account;
        }

        public TrustedDeviceSet? VerifiedLog(AccountFingerprint account) =>
            _accounts.FirstOrDefault(a => a.Log.Account.Equals(account)) is { } found
                ? DeviceLogVerifier.Verify(found.Log.Entries, policy: context.Policy, providers: context.Providers)
                : null;

        public byte[] FetchBundle(SessionAddress device)
        {
            var owner = _accounts.SelectMany(a => a.Devices).Single(d => d.Address == device);
            var full = PrekeyBundle.Decode(owner.Prekeys.PublishBundle(), context.Policy);
            var opk = full.OneTimePrekeys.FirstOrDefault(p => _handedOut.Add($"{device.DeviceId}/opk/{p.Id}"));
            var kem = full.OneTimeKemPrekeys.FirstOrDefault(p => _handedOut.Add($"{device.DeviceId}/kem/{p.Id}"));
            return full.WithOnly(opk?.Id, kem?.Id).Encode();
        }

        public IReadOnlyList<EncryptedMessage> Send(DemoAccount from, DemoAccount to, string text, TrustState state = TrustState.Verified)
        {
            var contact = new ContactTrust(to.Name, to.Log.Account, state == TrustState.Verified ? to.Log.Account : null, state, DateTimeOffset.UtcNow, []);
            var plan = FanOutPlanner.Plan(VerifiedLog(to.Log.Account)!, contact, VerifiedLog(from.Log.Account)!, from.Devices[0].Id, TrustPolicy.Default);
            var messages = FanOutEncryptor.Encrypt(from.Devices[0].Cipher, plan, Encoding.UTF8.GetBytes(text));
            _relay.AddRange(messages.Select(m => m.Envelope));
            return messages;
        }

        public List<byte[]> Collect(DemoDevice device)
        {
            var mine = _relay.Where(e => MessageEnvelope.Decode(e, context.Policy).RecipientDeviceId == device.Id).ToList();
            _relay.RemoveAll(mine.Contains);
            return mine;
        }

        public List<string> Receive(DemoDevice device) =>
            Collect(device).Select(e => Text(device.Cipher.Decrypt(e))).ToList();

        public void Dispose()
        {
            foreach (var device in _accounts.SelectMany(a => a.Devices)) device.Dispose();
        }
    }
}
