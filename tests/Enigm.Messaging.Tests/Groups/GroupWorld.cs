using Enigm.Messaging.Groups;
using Enigm.Messaging.Groups.Roster;
using Enigm.Messaging.Groups.SenderKeys;
using Enigm.Messaging.Sessions;
using Enigm.Messaging.Tests.Support;

namespace Enigm.Messaging.Tests.Groups;

/// <summary>
/// A group of test accounts: a roster written by the first account (the admin), every device's sender-key cipher,
/// and a relay that captures every group message. Distributions go straight to their targets as if carried by the
/// pairwise sessions (which authenticate the sender: <c>from</c> is the sending device).
/// </summary>
public sealed class GroupWorld : IDisposable
{
    private readonly RosterFixture _fixture = new();
    private readonly Dictionary<SessionAddress, SenderKeyCipher> _ciphers = [];
    private readonly SenderKeyOptions _options;

    public GroupWorld(int accounts, int devicesEach, SenderKeyOptions? options = null)
    {
        _options = options ?? new SenderKeyOptions { Time = Clock };
        for (var i = 0; i < accounts; i++) Accounts.Add(_fixture.Account($"member{i}", devicesEach));
        Roster = _fixture.Create(Accounts[0]);
    }

    public ManualClock Clock { get; } = new(ManualClock.Epoch);

    public List<TestAccount> Accounts { get; } = [];

    public GroupRosterWriter Roster { get; }

    /// <summary>Every group message the relay stored, in order.</summary>
    public List<byte[]> Captured { get; } = [];

    public TestAccount Admin => Accounts[0];

    public RosterFixture Fixture => _fixture;

    public static SessionAddress Address(TestAccount account, int device = 0) => new(account.Fingerprint, account.Devices[device].Id);

    public GroupMembership Membership() =>
        GroupMembership.From(GroupRosterVerifier.Verify(Roster.Entries, _fixture.Logs), _fixture.Logs);

    public SenderKeyCipher Cipher(SessionAddress device)
    {
        if (!_ciphers.TryGetValue(device, out var cipher))
            _ciphers[device] = cipher = new SenderKeyCipher(device, new InMemorySenderKeyStore(), _options);
        return cipher;
    }

    /// <summary>Sends from <paramref name="from"/>, hands the distribution to its targets, and captures the message.</summary>
    public GroupSendResult Send(SessionAddress from, string text, GroupMembership? membership = null)
    {
        membership ??= Membership();
        var result = Cipher(from).Encrypt(membership, System.Text.Encoding.UTF8.GetBytes(text));
        if (result.Distribution is { } distribution)
            foreach (var target in result.DistributeTo) Cipher(target).ProcessDistribution(membership, from, distribution);
        Captured.Add(result.Message);
        return result;
    }

    public string Read(SessionAddress reader, byte[] message, GroupMembership? membership = null)
    {
        var decrypted = Cipher(reader).Decrypt(membership ?? Membership(), message);
        return System.Text.Encoding.UTF8.GetString(decrypted.Plaintext);
    }

    public void Dispose() => _fixture.Dispose();
}
