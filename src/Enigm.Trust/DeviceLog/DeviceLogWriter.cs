using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Trust.Accounts;
using Enigm.Trust.Recovery;

namespace Enigm.Trust.DeviceLog;

/// <summary>Settings shared by <see cref="DeviceLogWriter"/> and the verifier it runs.</summary>
public sealed record DeviceLogWriterOptions
{
    public DeviceLogLimits Limits { get; init; } = DeviceLogLimits.Default;

    /// <summary>Accepted suites; new entries use its preferred suite.</summary>
    public SuitePolicy Policy { get; init; } = SuitePolicy.Default;

    public CryptoProviders Providers { get; init; } = CryptoProviders.Default;

    /// <summary>Clock for entry timestamps.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>
/// The device side of an account's device log: makes and signs entries and appends them. Every entry
/// it makes is first checked by the same <see cref="DeviceLogReplay"/> verifiers run, so the writer
/// cannot produce a log they reject. Private keys are the caller's (<see cref="PrivateKey"/>, composite
/// id-MLDSA65-Ed25519-SHA512); the writer never keeps them. No I/O: persist <see cref="Entries"/> through
/// an <see cref="IDeviceLogStore"/>.
/// </summary>
public sealed class DeviceLogWriter
{
    private readonly DeviceLogWriterOptions _options;
    private readonly DeviceLogReplay _replay;
    private readonly List<byte[]> _entries = [];

    private DeviceLogWriter(DeviceLogWriterOptions options)
    {
        _options = options;
        _replay = new DeviceLogReplay(options.Limits, options.Policy, options.Providers);
    }

    /// <summary>The encoded entries, genesis first.</summary>
    public IReadOnlyList<byte[]> Entries => _entries;

    public AccountFingerprint Account => _replay.Account!;

    public DeviceLogHead Head => _replay.Head!;

    /// <summary>Who is trusted now.</summary>
    public TrustedDeviceSet State => _replay.Snapshot();

    /// <summary>The suite new entries are written in (the policy's preferred suite).</summary>
    public Suite Suite => _options.Policy.Preferred;

    /// <summary>Starts a new account whose first device is <paramref name="deviceKey"/> (it signs its own genesis).</summary>
    public static DeviceLogWriter CreateGenesis(string deviceId, string deviceName, PrivateKey deviceKey, DeviceLogWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(deviceKey);
        var writer = new DeviceLogWriter(options ?? new DeviceLogWriterOptions());
        var entry = writer.Prepare(DeviceLogEntryKind.Genesis, deviceId, deviceName, writer.EncodeKey(deviceKey), "");
        writer.Complete(entry, new DeviceLogSignature(deviceId, writer.Sign(entry, deviceKey)));
        return writer;
    }

    /// <summary>Continues an existing log after verifying it from genesis (typed errors as <see cref="DeviceLogVerifier.Verify"/>).</summary>
    public static DeviceLogWriter Open(IReadOnlyList<byte[]> entries, DeviceLogWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var writer = new DeviceLogWriter(options ?? new DeviceLogWriterOptions());
        if (entries.Count == 0) throw new Errors.DeviceLogGapException(0, "the log is empty; it must start with a genesis entry");
        foreach (var entry in entries) writer._entries.Add(writer._replay.Apply(entry).Encoded);
        return writer;
    }

    /// <summary>A device id derived from its public key: "dev-" and 16 hex digits of SHA-256 of the key.</summary>
    public static string DeviceIdFor(PrivateKey deviceKey)
    {
        ArgumentNullException.ThrowIfNull(deviceKey);
        return DeviceIdFor(deviceKey.PublicKey);
    }

    /// <summary>The device id of a raw device public key (as <see cref="DeviceIdFor(PrivateKey)"/>).</summary>
    public static string DeviceIdFor(ReadOnlySpan<byte> devicePublicKey) =>
        "dev-" + Convert.ToHexStringLower(SHA256.HashData(devicePublicKey).AsSpan(0, 8));

    /// <summary>
    /// Step 1 of adding a device (on the existing device): the unsigned add-device entry for the new
    /// device's public key (raw id-MLDSA65-Ed25519-SHA512 bytes), to send it for its proof of possession.
    /// </summary>
    public UnsignedDeviceLogEntry PrepareAddDevice(string deviceId, string deviceName, ReadOnlySpan<byte> devicePublicKey)
    {
        var encoded = new CryptoObject(ObjectType.PublicKey, Suite, Suite.DeviceSignature, devicePublicKey.ToArray()).Encode();
        return Prepare(DeviceLogEntryKind.AddDevice, deviceId, deviceName, encoded, "");
    }

    /// <summary>
    /// Step 2 (on the new device): its proof of possession over the entry. Refuses
    /// (<see cref="MalformedInputException"/>) an entry that does not add exactly this key.
    /// </summary>
    public static byte[] SignAsNewDevice(UnsignedDeviceLogEntry entry, PrivateKey newDeviceKey, CryptoProviders? providers = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(newDeviceKey);
        if (entry.Kind is not (DeviceLogEntryKind.AddDevice or DeviceLogEntryKind.AddRecoveryKey))
            throw new MalformedInputException($"A new device signs only an add-device entry, not {entry.Kind}.");
        var key = CryptoObject.Decode(entry.SubjectPublicKey, ObjectType.PublicKey, SuitePolicy.Default);
        if (!CryptographicOperations.FixedTimeEquals(key.Value, newDeviceKey.PublicKey))
            throw new MalformedInputException("The entry does not add this device's key.");
        return SignWith(providers ?? CryptoProviders.Default, entry, newDeviceKey);
    }

    /// <summary>Step 3 (on the existing device): adds the authorising signature and appends the entry.</summary>
    public byte[] CompleteAddDevice(UnsignedDeviceLogEntry entry, string authoriserId, PrivateKey authoriserKey, byte[] proofOfPossession)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Complete(entry, new DeviceLogSignature(authoriserId, Sign(entry, authoriserKey)), new DeviceLogSignature(entry.SubjectId, proofOfPossession));
    }

    /// <summary>Step 3 when every device is lost: the registered recovery key authorises the addition.</summary>
    public byte[] CompleteAddDevice(UnsignedDeviceLogEntry entry, RecoveryKey recoveryKey, byte[] proofOfPossession)
    {
        ArgumentNullException.ThrowIfNull(recoveryKey);
        return CompleteAddDevice(entry, recoveryKey.Id, recoveryKey.SigningKey, proofOfPossession);
    }

    /// <summary>Adds a device whose key is at hand (both signatures made here).</summary>
    public byte[] AddDevice(string deviceId, string deviceName, PrivateKey newDeviceKey, string authoriserId, PrivateKey authoriserKey)
    {
        ArgumentNullException.ThrowIfNull(newDeviceKey);
        var entry = PrepareAddDevice(deviceId, deviceName, newDeviceKey.PublicKey);
        return CompleteAddDevice(entry, authoriserId, authoriserKey, Sign(entry, newDeviceKey));
    }

    /// <summary>Revokes a device; another trusted device signs.</summary>
    public byte[] RevokeDevice(string deviceId, string reason, string signerId, PrivateKey signerKey)
    {
        var entry = Prepare(DeviceLogEntryKind.RevokeDevice, deviceId, "", [], reason);
        return Complete(entry, new DeviceLogSignature(signerId, Sign(entry, signerKey)));
    }

    /// <summary>Replaces a device's key; the old and the new key both sign.</summary>
    public byte[] RotateDeviceKey(string deviceId, PrivateKey oldKey, PrivateKey newKey)
    {
        ArgumentNullException.ThrowIfNull(newKey);
        var entry = Prepare(DeviceLogEntryKind.RotateDeviceKey, deviceId, "", EncodeKey(newKey), "");
        return Complete(entry, new DeviceLogSignature(deviceId, Sign(entry, oldKey)), new DeviceLogSignature(deviceId, Sign(entry, newKey)));
    }

    /// <summary>Registers a recovery key; a trusted device and the recovery key sign.</summary>
    public byte[] AddRecoveryKey(RecoveryKey recoveryKey, string label, string signerId, PrivateKey signerKey)
    {
        ArgumentNullException.ThrowIfNull(recoveryKey);
        var entry = Prepare(DeviceLogEntryKind.AddRecoveryKey, recoveryKey.Id, label, recoveryKey.PublicKey, "");
        return Complete(entry, new DeviceLogSignature(signerId, Sign(entry, signerKey)), new DeviceLogSignature(recoveryKey.Id, Sign(entry, recoveryKey.SigningKey)));
    }

    /// <summary>Removes a recovery key; a trusted device signs.</summary>
    public byte[] RevokeRecoveryKey(string recoveryKeyId, string reason, string signerId, PrivateKey signerKey)
    {
        var entry = Prepare(DeviceLogEntryKind.RevokeRecoveryKey, recoveryKeyId, "", [], reason);
        return Complete(entry, new DeviceLogSignature(signerId, Sign(entry, signerKey)));
    }

    /// <summary>Appends <paramref name="entry"/> with its signatures, after the verifier's checks; returns the encoded entry.</summary>
    public byte[] Complete(UnsignedDeviceLogEntry entry, params DeviceLogSignature[] signatures)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var encoded = DeviceLogEncoding.EncodeEntry(entry.SuiteId, entry.Entry.Body, signatures);
        _replay.Apply(encoded);
        _entries.Add(encoded);
        return encoded;
    }

    private UnsignedDeviceLogEntry Prepare(DeviceLogEntryKind kind, string subjectId, string name, byte[] publicKey, string reason)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(reason);
        var previous = _replay.Head is { } head ? head.Hash.ToArray() : [];
        var body = new DeviceLogEncoding.Body(_replay.Count, previous, kind, TruncatedNow(), subjectId, name, publicKey, reason);
        return UnsignedDeviceLogEntry.Create(Suite.Id, DeviceLogEncoding.EncodeBody(body), _options.Policy);
    }

    private byte[] Sign(UnsignedDeviceLogEntry entry, PrivateKey key) => SignWith(_options.Providers, entry, key);

    private static byte[] SignWith(CryptoProviders providers, UnsignedDeviceLogEntry entry, PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Algorithm is not SignatureAlgorithm algorithm)
            throw new ArgumentException($"{key.Algorithm.Name} is not a signature key.", nameof(key));
        return providers.Signature(algorithm).Sign(key, entry.Entry.SignedMessage);
    }

    private byte[] EncodeKey(PrivateKey key)
    {
        if (key.Algorithm != Suite.DeviceSignature)
            throw new ArgumentException($"Device keys of {Suite} are {Suite.DeviceSignature.Name}, not {key.Algorithm.Name}.", nameof(key));
        return new CryptoObject(ObjectType.PublicKey, Suite, Suite.DeviceSignature, key.PublicKey).Encode();
    }

    private DateTimeOffset TruncatedNow() =>
        DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(0, _options.Time.GetUtcNow().ToUnixTimeMilliseconds()));
}
