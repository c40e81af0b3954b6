using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Groups.Roster;
using Enigm.Messaging.Tests.Support;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;

namespace Enigm.Messaging.Tests.Groups;

/// <summary>Accounts with real device logs, a lookup of their verified logs, and a way to sign entries no writer would make.</summary>
public sealed class RosterFixture : IDisposable
{
    private readonly List<TestAccount> _accounts = [];

    public TestAccount Account(string name, int devices = 1)
    {
        var account = TestAccount.Create(name, devices);
        _accounts.Add(account);
        return account;
    }

    /// <summary>Verified device logs of every account made here, as they are now.</summary>
    public TrustedDeviceSet? Logs(AccountFingerprint account) =>
        _accounts.FirstOrDefault(a => a.Fingerprint.Equals(account))?.Verified;

    public static GroupSigner Signer(TestAccount account, int device = 0) =>
        new(account.Fingerprint, account.Devices[device].Id, account.Devices[device].SigningKey);

    public GroupRosterWriter Create(TestAccount admin, string name = "friends") =>
        GroupRosterWriter.Create(name, Signer(admin), Logs);

    public GroupRosterWriter Open(IReadOnlyList<byte[]> entries, TestAccount member, int device = 0) =>
        GroupRosterWriter.Open(entries, Signer(member, device), Logs);

    public GroupRoster Verify(IReadOnlyList<byte[]> entries, GroupRosterHead? lastSeen = null, GroupRosterLimits? limits = null) =>
        GroupRosterVerifier.Verify(entries, Logs, lastSeen, limits: limits);

    /// <summary>Signs an entry with the given fields, bypassing the writer's own checks (what an attacker or a buggy client could send).</summary>
    public static byte[] Forge(
        IReadOnlyList<byte[]> before,
        GroupRosterEntryKind kind,
        GroupSigner signer,
        AccountFingerprint subject,
        long? sequence = null,
        byte[]? previousHash = null,
        GroupId? group = null,
        string name = "")
    {
        var last = GroupRosterEncoding.Decode(before[^1], SuitePolicy.Default, 1 << 20);
        var body = GroupRosterEncoding.EncodeBody(new GroupRosterEncoding.Body(
            group ?? last.GroupId, sequence ?? before.Count, previousHash ?? last.Hash, kind, ManualClock.Epoch,
            signer.Account, signer.DeviceId, subject, name));
        var suite = SuitePolicy.Default.Preferred;
        var signature = CryptoProviders.Default.Signature((SignatureAlgorithm)signer.DeviceKey.Algorithm)
            .Sign(signer.DeviceKey, GroupRosterEncoding.SignedMessage(suite.Id, body));
        return GroupRosterEncoding.EncodeEntry(suite.Id, body, signature);
    }

    public void Dispose()
    {
        foreach (var account in _accounts) account.Dispose();
    }
}
