using Enigm.Messaging.Envelope;
using Enigm.Messaging.FanOut;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.Ratchet;
using Enigm.Messaging.Sessions;
using Enigm.Messaging.Tests.Support;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.States;

namespace Enigm.Messaging.Tests.Sessions;

/// <summary>
/// Accounts, their devices' session ciphers, a prekey directory that hands each one-time prekey out once, and a
/// "relay" that is a list of envelopes: what the relay of the next issue will do, in memory.
/// </summary>
internal sealed class InMemoryNetwork : IPrekeyDirectory, IDisposable
{
    private readonly List<TestAccount> _accounts = [];
    private readonly HashSet<string> _handedOut = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SessionCipher> _ciphers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public List<byte[]> Relay { get; } = [];

    /// <summary>Ratchet limits for the ciphers made from now on (null: the defaults).</summary>
    public RatchetLimits? Limits { get; init; }

    public TestAccount AddAccount(string name, int devices)
    {
        var account = TestAccount.Create(name, devices);
        _accounts.Add(account);
        foreach (var device in account.Devices) ResetSessions(device);
        return account;
    }

    public SessionCipher Cipher(TestDevice device) => _ciphers[device.Id];

    /// <summary>Gives the device a new, empty session store (its session state was lost).</summary>
    public void ResetSessions(TestDevice device) =>
        _ciphers[device.Id] = new SessionCipher(device.Identity, device.Store, new InMemoryRatchetSessionStore(), this, VerifiedLog, limits: Limits);

    public TrustedDeviceSet? VerifiedLog(AccountFingerprint account) =>
        _accounts.FirstOrDefault(a => a.Fingerprint.Equals(account))?.Verified;

    public static SessionAddress Address(TestAccount account, TestDevice device) => new(account.Fingerprint, device.Id);

    public byte[] FetchBundle(SessionAddress device)
    {
        var owner = _accounts.Single(a => a.Fingerprint.Equals(device.Account)).Devices.Single(d => d.Id == device.DeviceId);
        var full = PrekeyBundle.Decode(owner.Prekeys.PublishBundle());
        lock (_gate)
        {
            var opk = full.OneTimePrekeys.FirstOrDefault(p => _handedOut.Add($"{device.DeviceId}/opk/{p.Id}"));
            var kem = full.OneTimeKemPrekeys.FirstOrDefault(p => _handedOut.Add($"{device.DeviceId}/kem/{p.Id}"));
            return full.WithOnly(opk?.Id, kem?.Id).Encode();
        }
    }

    /// <summary>Encrypts to every device the fan-out planner names for a verified contact, and puts the envelopes on the relay.</summary>
    public IReadOnlyList<EncryptedMessage> Send(TestAccount from, TestDevice device, TestAccount to, string text, TrustState contactState = TrustState.Verified)
    {
        var contact = new ContactTrust(to.Name, to.Fingerprint, contactState == TrustState.Verified ? to.Fingerprint : null, contactState, ManualClock.Epoch, []);
        var plan = FanOutPlanner.Plan(to.Verified, contact, from.Verified, device.Id, TrustPolicy.Default);
        var messages = FanOutEncryptor.Encrypt(Cipher(device), plan, System.Text.Encoding.UTF8.GetBytes(text));
        Relay.AddRange(messages.Select(m => m.Envelope));
        return messages;
    }

    /// <summary>Takes every envelope addressed to the device off the relay, in order.</summary>
    public List<byte[]> Collect(TestDevice device)
    {
        var mine = Relay.Where(e => MessageEnvelope.Decode(e).RecipientDeviceId == device.Id).ToList();
        Relay.RemoveAll(mine.Contains);
        return mine;
    }

    /// <summary>Delivers everything waiting for the device and returns the plaintexts.</summary>
    public List<string> Receive(TestDevice device) =>
        Collect(device).Select(e => System.Text.Encoding.UTF8.GetString(Cipher(device).Decrypt(e).Plaintext)).ToList();

    public void Dispose()
    {
        foreach (var account in _accounts) account.Dispose();
    }
}
