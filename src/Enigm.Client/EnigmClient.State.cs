using System.Collections.Concurrent;
using System.Security.Cryptography;
using Enigm.Client.Errors;
using Enigm.Client.Relay;
using Enigm.Client.State;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Keys;
using Enigm.Keys.Protection;
using Enigm.Keys.Records;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.Sessions;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.States;
using Enigm.Trust.Transparency;

namespace Enigm.Client;

// The device's state and the objects built on it (Keys, Trust and Messaging over the protected-record stores).
public sealed partial class EnigmClient
{
    private const string LogIdPrefix = "enigm-kt/";

    private readonly ClientOptions _options;
    private readonly KeyRing _ring;
    private readonly ProtectedRecords _records;
    private readonly PrivateKey _deviceKey;
    private readonly MessagingIdentity _identity;
    private readonly RecordPrekeyStore _prekeyStore;
    private readonly RecordDeviceLogStore _logStore;
    private readonly RecordTrustStateStore _trustStore;
    private readonly ContactBook _contacts;
    private readonly SeenMessages _seen;
    private readonly MessageArchive _archive;
    private readonly DeviceLogTracker _tracker;
    private readonly TrustBook _trust;
    private readonly TreeHeadVerifier _headVerifier;
    private readonly TransparencyClient _transparency;
    private readonly DevicePrekeys _devicePrekeys;
    private readonly SessionCipher _cipher;
    private readonly RelayClient _relay;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, byte[]> _fetchedBundles = new(StringComparer.Ordinal);
    private readonly DeviceRecord _device;
    private bool _disposed;
    private AccountFingerprint? _lastLogLookup;

    private EnigmClient(ClientOptions options, KeyRing ring, DeviceRecord device, PrivateKey deviceKey, MessagingIdentity identity, RelayClient relay)
    {
        _options = options;
        _ring = ring;
        _records = ring.Records;
        _device = device;
        _deviceKey = deviceKey;
        _identity = identity;
        _relay = relay;
        var namer = RecordNamer.For(_records);
        _prekeyStore = new RecordPrekeyStore(_records);
        _logStore = new RecordDeviceLogStore(_records, namer);
        _trustStore = new RecordTrustStateStore(_records, namer);
        _contacts = new ContactBook(_records, namer);
        _seen = new SeenMessages(_records);
        _archive = new MessageArchive(_records);
        _tracker = new DeviceLogTracker(_logStore);
        _trust = new TrustBook(_trustStore, options.TrustPolicy, options.Time);
        _headVerifier = new TreeHeadVerifier(LogIdPrefix + device.ServerId, device.LogPublicKey);
        _transparency = new TransparencyClient(_headVerifier, new RecordTreeHeadStore(_records));
        _devicePrekeys = new DevicePrekeys(identity, deviceKey, _prekeyStore, options.PrekeyPolicy, time: options.Time);
        _cipher = new SessionCipher(identity, _prekeyStore, new RecordSessionStore(_records, namer), new RelayPrekeyDirectory(this),
            LookupLog, time: options.Time);
        _relay.Credentials = new RelayCredentials(device.Account, device.DeviceId, device.ServerId, Sign);
    }

    /// <summary>The relay connection (internal: the integration tests replay and tamper with delivered messages through it).</summary>
    internal RelayClient Relay => _relay;

    private AccountFingerprint OwnAccount => AccountFingerprint.FromHex(_device.Account);

    private TrustedDeviceSet OwnLog => _tracker.Load(OwnAccount) ?? throw new ClientStateException("This device's own device log is missing from its store.");

    /// <summary>The pinned log SessionCipher asks for; the account asked about is remembered so a miss can be fetched and retried.</summary>
    private TrustedDeviceSet? LookupLog(AccountFingerprint account)
    {
        _lastLogLookup = account;
        return _tracker.Load(account);
    }

    private static SignatureAlgorithm DeviceAlgorithm => SuitePolicy.Default.Preferred.DeviceSignature;

    /// <summary>The state of a device that was just enrolled (account creation or linking), before it is stored.</summary>
    private sealed record NewDevice(string DeviceName, PrivateKey DeviceKey, IReadOnlyList<byte[]> LogEntries, SignedTreeHead TreeHead, string ServerId, byte[] LogPublicKey);

    /// <summary>
    /// Creates the key store and every record of a device whose log the relay accepted: device key, pinned own log and
    /// tree head, messaging identity, delivery token. Then authenticates, uploads prekeys and the delivery token.
    /// </summary>
    private static async Task<EnigmClient> StoreNewDeviceAsync(ClientOptions options, IKeyProtector protector, RelayClient relay, NewDevice device, CancellationToken ct)
    {
        SqliteCheck(options);
        var ring = KeyRing.Create(options.StorePath, protector, options.KeyRingOptions);
        EnigmClient? client = null;
        MessagingIdentity? identity = null;
        try
        {
            var own = DeviceLogVerifier.Verify(device.LogEntries);
            var deviceId = DeviceLogWriter.DeviceIdFor(device.DeviceKey);
            identity = MessagingIdentity.Create(own, deviceId, device.DeviceKey, time: options.Time);
            var record = new DeviceRecord(ClientStoreFormat.Current, own.Account.Hex, deviceId, device.DeviceName, relay.BaseAddress.ToString(), device.ServerId,
                device.LogPublicKey, identity.Certificate, RandomNumberGenerator.GetBytes(32));
            var records = ring.Records;
            records.Update(tx =>
            {
                tx.PutKey(RecordNames.DeviceKey, device.DeviceKey);
                tx.PutKey(RecordNames.IdentityKey, identity.IdentityKey);
                tx.PutKey(RecordNames.SealedSenderKey, identity.SealedSenderKey);
                tx.Put(RecordNames.Device, StateJson.Write(record, StateJson.Default.DeviceRecord));
                return 0;
            });
            client = new EnigmClient(options, ring, record, device.DeviceKey, identity, relay);
            client._tracker.Accept(device.LogEntries, own.Account);
            client._transparency.Update(device.TreeHead);
            // The relay must show the same log, its head included in the transparency log under a tree head that
            // extends the one pinned before the account or link existed.
            client.ObserveOwnDevices(await client.RefreshLogAsync(own.Account, ct));
            await client._relay.SetDeliveryTokenAsync(record.DeliveryToken, ct);
            await client.UploadBundleAsync(ct);
            return client;
        }
        catch
        {
            if (client is not null) client.Dispose();
            else
            {
                identity?.Dispose();
                ring.Dispose();
                relay.Dispose();
            }

            throw;
        }
    }

    private static void SqliteCheck(ClientOptions options)
    {
        if (Exists(options.Home)) throw new ClientStateException($"A device already lives in {options.Home}; use another --home.");
        Keys.Storage.SqliteKeyStore.CheckCanCreate(options.StorePath);
    }

    private static EnigmClient OpenCore(ClientOptions options, Func<ProtectorDescriptor, IKeyProtector> protectorFor)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(protectorFor);
        if (!Exists(options.Home)) throw new ClientStateException($"No device in {options.Home}: create an account or link this device first.");
        var ring = KeyRing.Open(options.StorePath, protectorFor, options.KeyRingOptions);
        StoredKey? deviceKey = null;
        StoredKey? identityKey = null;
        StoredKey? sealedKey = null;
        try
        {
            var bytes = ring.Records.Get(RecordNames.Device) ?? throw new ClientStateException($"The key store in {options.Home} holds no client device.");
            var device = StateJson.Read(RecordNames.Device, bytes, StateJson.Default.DeviceRecord);
            ClientStoreFormat.Check(device.Version, options.Home);
            if (options.Server is { } server && server.ToString() != device.Server)
            {
                device = device with { Server = server.ToString() };
                ring.Records.Put(RecordNames.Device, StateJson.Write(device, StateJson.Default.DeviceRecord));
            }

            deviceKey = ring.Records.GetKey(RecordNames.DeviceKey) ?? throw new ClientStateException("The device key record is missing.");
            identityKey = ring.Records.GetKey(RecordNames.IdentityKey) ?? throw new ClientStateException("The messaging identity key record is missing.");
            sealedKey = ring.Records.GetKey(RecordNames.SealedSenderKey) ?? throw new ClientStateException("The sealed-sender key record is missing.");
            var own = new DeviceLogTracker(new RecordDeviceLogStore(ring.Records, RecordNamer.For(ring.Records))).Load(AccountFingerprint.FromHex(device.Account))
                ?? throw new ClientStateException("This device's own device log is missing from its store.");
            var identity = MessagingIdentity.Restore(device.IdentityCertificate, identityKey.Key, sealedKey.Key, own);
            var relay = new RelayClient(new Uri(device.Server), options.HttpHandler, options.RequestTimeout, options.Time);
            return new EnigmClient(options, ring, device, deviceKey.Key, identity, relay);
        }
        catch
        {
            deviceKey?.Dispose();
            identityKey?.Dispose();
            sealedKey?.Dispose();
            ring.Dispose();
            throw;
        }
    }

    /// <summary>The relay's log id, server id and log key, pinned on first use (the first tree head is taken on its signature).</summary>
    private static async Task<(SignedTreeHead Head, string ServerId, byte[] LogPublicKey)> PinRelayAsync(RelayClient relay, CancellationToken ct)
    {
        var response = await relay.TreeHeadAsync(ct);
        var head = SignedTreeHead.Parse(response.SignedTreeHead);
        if (!head.LogId.StartsWith(LogIdPrefix, StringComparison.Ordinal) || head.LogId.Length == LogIdPrefix.Length)
            throw new RelayUnavailableException($"The relay's transparency log is named '{head.LogId}', not '{LogIdPrefix}<server id>'.");
        new TreeHeadVerifier(head.LogId, response.LogPublicKey).Verify(head);
        return (head, head.LogId[LogIdPrefix.Length..], response.LogPublicKey);
    }

    private static PrivateKey NewDeviceKey() => CryptoProviders.Default.Signature(DeviceAlgorithm).GenerateKey();

    private byte[] Sign(byte[] message) => CryptoProviders.Default.Signature((SignatureAlgorithm)_deviceKey.Algorithm).Sign(_deviceKey, message);

    /// <summary>Runs one operation at a time on this device's state.</summary>
    private async Task<T> Serialised<T>(Func<Task<T>> operation, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(ct);
        try
        {
            return await operation();
        }
        finally
        {
            _gate.Release();
        }
    }

    private T Serialised<T>(Func<T> operation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _gate.Wait();
        try
        {
            return operation();
        }
        finally
        {
            _gate.Release();
        }
    }

    private void DisposeCore()
    {
        if (_disposed) return;
        _disposed = true;
        _relay.Dispose();
        _prekeyStore.Dispose();
        _identity.Dispose();
        _deviceKey.Dispose();
        _ring.Dispose();
        _gate.Dispose();
    }

    /// <summary>Where SessionCipher gets a peer's bundle: prefetched asynchronously before encrypting, else fetched now.</summary>
    private sealed class RelayPrekeyDirectory(EnigmClient client) : IPrekeyDirectory
    {
        public byte[] FetchBundle(SessionAddress device) =>
            client._fetchedBundles.TryRemove(device.StoreKey, out var bundle)
                ? bundle
                : client.FetchBundleAsync(device.Account.Hex, device.DeviceId, CancellationToken.None).GetAwaiter().GetResult();
    }
}
