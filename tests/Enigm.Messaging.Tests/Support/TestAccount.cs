using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Messaging.Prekeys;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;

namespace Enigm.Messaging.Tests.Support;

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public static readonly DateTimeOffset Epoch = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>A device of a test account: its composite device key, messaging identity and prekeys (in memory).</summary>
public sealed class TestDevice(string id, PrivateKey signingKey) : IDisposable
{
    public string Id { get; } = id;

    public PrivateKey SigningKey { get; } = signingKey;

    public MessagingIdentity Identity { get; private set; } = null!;

    public InMemoryPrekeyStore Store { get; } = new();

    public DevicePrekeys Prekeys { get; private set; } = null!;

    internal void Init(TrustedDeviceSet log, TimeProvider clock, PrekeyPolicy policy)
    {
        Identity = MessagingIdentity.Create(log, Id, SigningKey, time: clock);
        Prekeys = new DevicePrekeys(Identity, SigningKey, Store, policy, time: clock);
    }

    public void Dispose()
    {
        Identity?.Dispose();
        Store.Dispose();
        SigningKey.Dispose();
    }
}

/// <summary>An account with a real, signed device log and devices that have messaging identities.</summary>
public sealed class TestAccount : IDisposable
{
    public static readonly PrekeyPolicy SmallPolicy = new(OneTimePrekeys: 3, OneTimeKemPrekeys: 2, LowWaterMark: 2);

    private readonly List<TestDevice> _devices = [];
    private readonly PrekeyPolicy _policy;

    private TestAccount(string name, DeviceLogWriter log, TestDevice first, ManualClock clock, PrekeyPolicy policy)
    {
        Name = name;
        Log = log;
        Clock = clock;
        _policy = policy;
        _devices.Add(first);
        first.Init(Verified, clock, policy);
    }

    public string Name { get; }

    public DeviceLogWriter Log { get; }

    public ManualClock Clock { get; }

    public IReadOnlyList<TestDevice> Devices => _devices;

    public TestDevice Primary => _devices[0];

    public AccountFingerprint Fingerprint => Log.Account;

    /// <summary>The log as a contact verifies it from its entries.</summary>
    public TrustedDeviceSet Verified => DeviceLogVerifier.Verify(Log.Entries);

    public static TestAccount Create(string name, int devices = 1, PrekeyPolicy? policy = null, ManualClock? clock = null)
    {
        clock ??= new ManualClock(ManualClock.Epoch);
        var key = NewSigningKey();
        var id = DeviceLogWriter.DeviceIdFor(key);
        var log = DeviceLogWriter.CreateGenesis(id, $"{name}-1", key, new DeviceLogWriterOptions { Time = clock });
        var account = new TestAccount(name, log, new TestDevice(id, key), clock, policy ?? SmallPolicy);
        for (var i = 1; i < devices; i++) account.AddDevice();
        return account;
    }

    public TestDevice AddDevice()
    {
        var key = NewSigningKey();
        var device = new TestDevice(DeviceLogWriter.DeviceIdFor(key), key);
        Log.AddDevice(device.Id, $"{Name}-{_devices.Count + 1}", key, Primary.Id, Primary.SigningKey);
        _devices.Add(device);
        device.Init(Verified, Clock, _policy);
        return device;
    }

    public void Revoke(TestDevice device) => Log.RevokeDevice(device.Id, "lost", Primary.Id, Primary.SigningKey);

    public static PrivateKey NewSigningKey() =>
        CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519).GenerateKey();

    public void Dispose()
    {
        foreach (var device in _devices) device.Dispose();
    }
}

public static class Bytes
{
    public static int IndexOf(byte[] haystack, byte[] needle) =>
        haystack.AsSpan().IndexOf(needle);

    public static byte[] Flip(byte[] data, int index)
    {
        var copy = (byte[])data.Clone();
        copy[index] ^= 0x01;
        return copy;
    }
}
