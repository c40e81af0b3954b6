using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Secrets;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Enrollment;
using Enigm.Trust.Errors;
using Enigm.Trust.States;
using Enigm.Trust.Transparency;
using Enigm.Trust.Verification;

namespace Enigm.Cli.Demo;

/// <summary>
/// Chapter 4: device-bound trust, in process (no server yet). Alice's phone links her tablet by
/// enrollment with a short authentication string shown on both; Alice and Bob compare a safety
/// number that is the same on both sides; the tablet is revoked and the trusted set recomputed; a
/// transparency log proves inclusion and consistency, and a forked log is caught by comparing tree heads.
/// </summary>
public sealed class TrustChapter : IDemoChapter
{
    public string Name => "trust";

    public string Title => "Trust: device logs, enrollment, safety numbers, key transparency";

    public void Run(ChapterContext context)
    {
        var scheme = context.Providers.Signature(SignatureAlgorithm.MlDsa65Ed25519);
        using var phoneKey = scheme.GenerateKey();
        using var tabletKey = scheme.GenerateKey();
        using var bobKey = scheme.GenerateKey();
        var options = new DeviceLogWriterOptions { Providers = context.Providers, Policy = context.Policy };

        context.Step("Alice's phone starts her account: a genesis entry signed with its id-MLDSA65-Ed25519-SHA512 device key");
        var phoneId = DeviceLogWriter.DeviceIdFor(phoneKey);
        var alice = DeviceLogWriter.CreateGenesis(phoneId, "Alice's phone", phoneKey, options);
        context.Info($"account fingerprint {alice.Account.Hex[..16]}…  (SHA-256 of the genesis entry)");

        var tabletId = Enroll(context, alice, phoneId, phoneKey, tabletKey);
        RefusedEnrollment(context, alice, phoneId, phoneKey);
        var bob = DeviceLogWriter.CreateGenesis(DeviceLogWriter.DeviceIdFor(bobKey), "Bob's laptop", bobKey, options);
        SafetyNumber(context, alice.Account, bob.Account);

        context.Step("Alice's tablet is lost: her phone revokes it, and everyone replays the log again");
        var headBeforeRevocation = alice.Head;
        alice.RevokeDevice(tabletId, "lost on a train", phoneId, phoneKey);
        var set = DeviceLogVerifier.Verify(alice.Entries, headBeforeRevocation, policy: context.Policy, providers: context.Providers);
        context.Info($"trusted: {string.Join(", ", set.Devices.Select(d => d.Name))}; revoked: {string.Join(", ", set.RevokedDevices.Select(d => $"{d.Name} ({d.Reason})"))}");
        context.Check("the trusted set is the phone alone, the tablet revoked with its reason", () =>
            set.Devices.Count == 1 && set.IsTrusted(phoneId) && set.RevokedDevices.Single().Id == tabletId);
        context.Rejects<UntrustedSignerException>("an entry signed by the revoked tablet is refused", () =>
        {
            using var thiefDevice = scheme.GenerateKey();
            DeviceLogWriter.Open(alice.Entries, options).AddDevice(DeviceLogWriter.DeviceIdFor(thiefDevice), "thief", thiefDevice, tabletId, tabletKey);
        });
        context.Rejects<DeviceLogRollbackException>("a server replaying the log from before the revocation is caught", () =>
            DeviceLogVerifier.Verify(alice.Entries.Take(alice.Entries.Count - 1).ToList(), alice.Head, policy: context.Policy, providers: context.Providers));

        Transparency(context, alice, bob);
    }

    private static string Enroll(ChapterContext context, DeviceLogWriter alice, string phoneId, PrivateKey phoneKey, PrivateKey tabletKey)
    {
        context.Step("Alice's new tablet shows a link code (X-Wing public key + one-time secret); her phone scans it and opens an encrypted channel");
        using var tablet = NewDeviceEnrollment.Start();
        var code = tablet.Code.ToText();
        context.Info($"link code: {code[..Math.Min(32, code.Length)]}… ({code.Length} characters, expires {tablet.Code.ExpiresAt:HH:mm:ss} UTC)");
        using var phone = ExistingDeviceEnrollment.Open(code, alice.Account, new DeviceLogEnrollmentLog(alice, phoneId, phoneKey));
        tablet.ReceiveReveal(phone.ReceiveReady(tablet.ReceiveHello(phone.Hello)));
        context.Info($"phone shows:  {phone.Sas}");
        context.Info($"tablet shows: {tablet.Sas}");
        context.Check("both devices show the same short authentication string", () => phone.Sas!.SameAs(tablet.Sas!));

        context.Step("Alice confirms on both; the tablet co-signs the add-device entry (proof of possession), the phone signs and appends it");
        phone.Confirm(true);
        tablet.Confirm(true);
        var request = phone.ReceiveDeviceInfo(tablet.SendDeviceInfo(new DeviceKeyCosigner(tabletKey), "Alice's tablet"));
        tablet.ReceiveAccountState(phone.ReceiveSignature(tablet.ReceiveAddDeviceRequest(request)));
        var received = DeviceLogVerifier.Verify(DeviceLogFile.Decode(tablet.AccountState.ToArray()), policy: context.Policy, providers: context.Providers);
        var tabletId = DeviceLogWriter.DeviceIdFor(tabletKey);
        context.Check("the tablet replays the log it received: it is trusted, under the unchanged account fingerprint", () =>
            received.IsTrusted(tabletId) && received.IsTrusted(phoneId) && received.Account == alice.Account);
        return tabletId;
    }

    private static void RefusedEnrollment(ChapterContext context, DeviceLogWriter alice, string phoneId, PrivateKey phoneKey)
    {
        context.Step("A second enrollment where the user sees different codes (a relay in the middle) is refused");
        var entriesBefore = alice.Entries.Count;
        using var stranger = NewDeviceEnrollment.Start();
        using var phone = ExistingDeviceEnrollment.Open(stranger.Code.ToText(), alice.Account, new DeviceLogEnrollmentLog(alice, phoneId, phoneKey));
        stranger.ReceiveReveal(phone.ReceiveReady(stranger.ReceiveHello(phone.Hello)));
        context.Rejects<SasMismatchException>("answering 'the codes differ' aborts the enrollment", () => phone.Confirm(false));
        context.Check("nothing was appended to the device log", () => alice.Entries.Count == entriesBefore);
        context.Rejects<EnrollmentCodeInvalidException>("the aborted session cannot be resumed", () => phone.Confirm(true));
    }

    private static void SafetyNumber(ChapterContext context, AccountFingerprint alice, AccountFingerprint bob)
    {
        context.Step("Alice and Bob compare safety numbers (Signal-style: 5200 iterations of SHA-512 per side, 12 groups of 5 digits)");
        var onAlice = SafetyNumbers.For(alice, bob);
        var onBob = SafetyNumbers.For(bob, alice);
        context.Info($"Alice sees: {onAlice}");
        context.Info($"Bob sees:   {onBob}");
        context.Check("the safety number is the same on both sides (order-independent), 60 digits", () =>
            onAlice.Digits == onBob.Digits && onAlice.Digits.Length == 60 && onAlice.Groups.Count == 12);

        var bobsBook = new TrustBook(new InMemoryTrustStateStore(), TrustPolicy.Default, TimeProvider.System);
        bobsBook.ObserveContact("alice", alice);
        var scanned = SafetyNumberQr.ParseText(new SafetyNumberQr(alice, bob).ToText());
        context.Check("Bob scans Alice's QR code: it matches and Alice becomes verified", () =>
            bobsBook.VerifyScannedCode("alice", scanned, bob) == QrComparison.Match && bobsBook.Contact("alice")!.State == TrustState.Verified);

        context.Step("The server later hands Bob a different account for 'alice' (a key substitution)");
        var substitute = new AccountFingerprint(RandomNumberGenerator.GetBytes(AccountFingerprint.Length));
        bobsBook.ObserveContact("alice", substitute);
        context.Check("Alice's contact turns 'changed'", () => bobsBook.Contact("alice")!.State == TrustState.Changed);
        context.Rejects<ContactChangedException>("sending to her is refused until Bob re-verifies or accepts the change", () => bobsBook.CheckSend("alice"));
    }

    private static void Transparency(ChapterContext context, DeviceLogWriter alice, DeviceLogWriter bob)
    {
        context.Step("Key transparency: the server logs every account's device-log head in an RFC 9162 Merkle tree and signs tree heads");
        var scheme = context.Providers.Signature(SignatureAlgorithm.MlDsa65Ed25519);
        using var logKey = scheme.GenerateKey();
        const string logId = "enigm-demo-transparency";
        var log = new TransparencyLog(new InMemoryTransparencyLogStore(), logId);
        var leaves = Enumerable.Range(0, 1000)
            .Select(_ => new TransparencyLeaf(new AccountFingerprint(RandomNumberGenerator.GetBytes(32)), RandomNumberGenerator.GetBytes(32), 1))
            .Append(Leaf(bob))
            .ToList();
        foreach (var leaf in leaves) log.Append(leaf);
        var bobIndex = leaves.Count - 1;
        var first = log.SignTreeHead(logKey, DateTimeOffset.UtcNow, context.Providers);
        var aliceIndex = log.Append(Leaf(alice));
        var second = log.SignTreeHead(logKey, DateTimeOffset.UtcNow, context.Providers);
        context.Info($"{second.TreeSize} leaves; Alice's head {alice.Head.Sequence} at index {aliceIndex}");

        var verifier = new TreeHeadVerifier(logId, logKey.PublicKey, context.Policy, context.Providers);
        var client = new TransparencyClient(verifier, new InMemoryTreeHeadStore());
        client.Update(first);
        context.Check($"an inclusion proof ({log.InclusionProof(bobIndex, first.TreeSize).Path.Count} hashes) shows Bob's device-log head is in the signed tree", () =>
        {
            client.VerifyDeviceLogHead(bob.Account, bob.Head.Hash, (ulong)bob.Head.Sequence, log.InclusionProof(bobIndex, first.TreeSize), first);
            return true;
        });
        context.Check("the newer tree head is consistent with the one remembered (consistency proof), and Alice's head is in it", () =>
        {
            var consistency = log.ConsistencyProof(first.TreeSize, second.TreeSize);
            client.Update(second, consistency);
            client.VerifyDeviceLogHead(alice.Account, alice.Head.Hash, (ulong)alice.Head.Sequence, log.InclusionProof(aliceIndex), second);
            return client.Current!.TreeSize == second.TreeSize;
        });
        context.Rejects<TransparencyProofException>("a proof for a substituted head is refused", () =>
            client.VerifyDeviceLogHead(alice.Account, RandomNumberGenerator.GetBytes(32), (ulong)alice.Head.Sequence, log.InclusionProof(aliceIndex), second));

        context.Step("A malicious server forks the log: another client is shown a tree where Alice's head is replaced");
        var fork = new TransparencyLog(new InMemoryTransparencyLogStore(), logId);
        foreach (var leaf in leaves) fork.Append(leaf);
        fork.Append(new TransparencyLeaf(alice.Account, RandomNumberGenerator.GetBytes(32), (ulong)alice.Head.Sequence));
        var forked = fork.SignTreeHead(logKey, DateTimeOffset.UtcNow, context.Providers);
        context.Check("each tree head alone carries a valid signature", () =>
        {
            verifier.Verify(forked);
            return true;
        });
        context.Rejects<SplitViewException>("comparing tree heads (gossip) exposes the split view", () => Gossip.Compare(verifier, second, forked));
    }

    private static TransparencyLeaf Leaf(DeviceLogWriter account) =>
        new(account.Account, account.Head.Hash, (ulong)account.Head.Sequence);
}
