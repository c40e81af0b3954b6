using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Trust.Accounts;
using Enigm.Trust.Errors;

namespace Enigm.Trust.DeviceLog;

/// <summary>
/// The device-log state machine (docs/trust-device-log.md, "Verification rules"): feeds entries one at
/// a time, in order from genesis, and keeps the trusted devices and recovery keys. Each rule is a named
/// check; the first failure throws its typed error and leaves the state as it was before that entry.
/// No I/O. <see cref="DeviceLogVerifier"/> replays whole logs with it; <see cref="DeviceLogWriter"/>
/// checks every entry it makes with it.
/// </summary>
public sealed class DeviceLogReplay
{
    private readonly DeviceLogLimits _limits;
    private readonly SuitePolicy _policy;
    private readonly CryptoProviders _providers;
    private readonly Dictionary<string, DeviceState> _devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RecoveryKeyRecord> _recovery = new(StringComparer.Ordinal);
    private readonly List<RevokedDevice> _revokedDevices = [];
    private readonly List<RecoveryKeyRecord> _revokedRecovery = [];
    private readonly HashSet<string> _usedIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedKeys = new(StringComparer.Ordinal);
    private byte[] _previousHash = [];
    private long _bytes;
    private ushort _suiteId;

    public DeviceLogReplay(DeviceLogLimits? limits = null, SuitePolicy? policy = null, CryptoProviders? providers = null)
    {
        _limits = limits ?? DeviceLogLimits.Default;
        _policy = policy ?? SuitePolicy.Default;
        _providers = providers ?? CryptoProviders.Default;
    }

    /// <summary>How many entries have been accepted; the sequence number the next entry must carry.</summary>
    public long Count { get; private set; }

    /// <summary>The account (hash of the genesis entry), once genesis is accepted.</summary>
    public AccountFingerprint? Account { get; private set; }

    /// <summary>The last accepted entry, once genesis is accepted.</summary>
    public DeviceLogHead? Head => Count == 0 ? null : new DeviceLogHead(Count - 1, _previousHash);

    /// <summary>Checks <paramref name="encoded"/> as the next entry and, if every rule holds, applies it.</summary>
    public DeviceLogEntry Apply(byte[] encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        var sequence = Count;
        CheckSize(sequence, encoded.Length);
        var entry = Decode(sequence, encoded);
        CheckLink(sequence, entry);
        // The entry relies on its suite's device signature (every signer key is of that algorithm).
        var suite = _policy.Require(entry.SuiteId, SuiteRegistry.Get(entry.SuiteId).DeviceSignature);
        var change = entry.Kind switch
        {
            DeviceLogEntryKind.Genesis => Genesis(entry, suite),
            DeviceLogEntryKind.AddDevice => AddDevice(entry, suite),
            DeviceLogEntryKind.RevokeDevice => RevokeDevice(entry, suite),
            DeviceLogEntryKind.RotateDeviceKey => RotateDeviceKey(entry, suite),
            DeviceLogEntryKind.AddRecoveryKey => AddRecoveryKey(entry, suite),
            DeviceLogEntryKind.RevokeRecoveryKey => RevokeRecoveryKey(entry, suite),
            _ => throw Malformed(sequence, $"unknown kind {entry.Kind}"),
        };

        // Every check passed: only now does the state change.
        change();
        if (sequence == 0) Account = new AccountFingerprint(entry.Hash);
        _previousHash = entry.Hash;
        _bytes += encoded.Length;
        _suiteId = entry.SuiteId;
        Count++;
        return entry;
    }

    /// <summary>The trusted set at the current head (requires an accepted genesis).</summary>
    public TrustedDeviceSet Snapshot()
    {
        if (Account is null || Head is null) throw new InvalidOperationException("No genesis entry has been applied.");
        return new TrustedDeviceSet(
            Account,
            Head,
            _suiteId,
            [.. _devices.Values.OrderBy(d => d.AddedAt).Select(d => new TrustedDevice(d.Id, d.Name, d.PublicKey, d.AddedAt, d.KeySince))],
            [.. _revokedDevices],
            [.. _recovery.Values.OrderBy(r => r.AddedAt)],
            [.. _revokedRecovery]);
    }

    // Limits: checked before decoding, so an oversized log costs no parsing.
    private void CheckSize(long sequence, int length)
    {
        if (sequence >= _limits.MaxEntries)
            throw new DeviceLogTooLargeException(sequence, $"the log has more than {_limits.MaxEntries} entries");
        if (length > _limits.MaxEntryBytes)
            throw new DeviceLogTooLargeException(sequence, $"the entry has {length} bytes, over the {_limits.MaxEntryBytes}-byte limit");
        if (_bytes + length > _limits.MaxLogBytes)
            throw new DeviceLogTooLargeException(sequence, $"the log is over the {_limits.MaxLogBytes}-byte limit");
    }

    private DeviceLogEntry Decode(long sequence, byte[] encoded)
    {
        try
        {
            return DeviceLogEncoding.Decode(encoded, _policy, _limits.MaxEntryBytes);
        }
        catch (MalformedInputException e)
        {
            throw new MalformedInputException($"Device log entry {sequence}: {e.Message}", e);
        }
    }

    // Hash chain: entry n carries sequence n and the SHA-256 of entry n-1; only entry 0 is a genesis.
    private void CheckLink(long sequence, DeviceLogEntry entry)
    {
        if (entry.Sequence != sequence)
            throw new DeviceLogGapException(sequence, $"carries sequence {entry.Sequence}; expected {sequence}");
        if (!entry.PreviousHash.AsSpan().SequenceEqual(_previousHash))
            throw new DeviceLogGapException(sequence, sequence == 0 ? "a genesis entry has no previous hash" : "its previous hash is not the hash of the entry before it");
        if ((sequence == 0) != (entry.Kind == DeviceLogEntryKind.Genesis))
            throw Malformed(sequence, sequence == 0 ? $"a log starts with a genesis entry, not {entry.Kind}" : "a second genesis entry");
    }

    private Action Genesis(DeviceLogEntry entry, Suite suite)
    {
        RequireFields(entry, name: true, key: true, reason: false);
        RequireSignatureCount(entry, 1);
        var key = DecodeKey(entry, suite);
        Verify(entry, 0, entry.SubjectId, key, "the genesis device's self-signature");
        return () => AddTrusted(entry, key);
    }

    private Action AddDevice(DeviceLogEntry entry, Suite suite)
    {
        RequireFields(entry, name: true, key: true, reason: false);
        RequireUnusedId(entry);
        RequireSignatureCount(entry, 2);
        var authoriser = TrustedSignerKey(entry, entry.Signatures[0].SignerId, allowRecovery: true);
        var key = DecodeNewKey(entry, suite);
        Verify(entry, 0, entry.Signatures[0].SignerId, authoriser, "the authorising signature");
        Verify(entry, 1, entry.SubjectId, key, "the new device's proof of possession");
        return () => AddTrusted(entry, key);
    }

    private Action RevokeDevice(DeviceLogEntry entry, Suite suite)
    {
        _ = suite;
        RequireFields(entry, name: false, key: false, reason: true);
        if (!_devices.TryGetValue(entry.SubjectId, out var revoked))
            throw Malformed(entry.Sequence, $"device '{entry.SubjectId}' is not a trusted device");
        RequireSignatureCount(entry, 1);
        var signer = entry.Signatures[0].SignerId;
        if (signer == entry.SubjectId)
            throw new UntrustedSignerException(entry.Sequence, $"device '{signer}' cannot revoke itself; another trusted device signs a revocation");
        var key = TrustedSignerKey(entry, signer, allowRecovery: false);
        Verify(entry, 0, signer, key, "the revoking device's signature");
        return () =>
        {
            _devices.Remove(revoked.Id);
            _revokedDevices.Add(new RevokedDevice(revoked.Id, revoked.Name, revoked.PublicKey, revoked.AddedAt, entry.Sequence, signer, entry.Reason));
        };
    }

    private Action RotateDeviceKey(DeviceLogEntry entry, Suite suite)
    {
        RequireFields(entry, name: false, key: true, reason: false);
        RequireSignatureCount(entry, 2);
        var old = TrustedSignerKey(entry, entry.SubjectId, allowRecovery: false);
        var device = _devices[entry.SubjectId];
        var key = DecodeNewKey(entry, suite);
        Verify(entry, 0, entry.SubjectId, old, "the old key's signature");
        Verify(entry, 1, entry.SubjectId, key, "the new key's signature");
        return () =>
        {
            _usedKeys.Add(KeyId(key));
            _devices[device.Id] = device with { PublicKey = key.Encoded, Key = key, KeySince = entry.Sequence };
        };
    }

    private Action AddRecoveryKey(DeviceLogEntry entry, Suite suite)
    {
        RequireFields(entry, name: true, key: true, reason: false);
        RequireUnusedId(entry);
        RequireSignatureCount(entry, 2);
        var authoriser = TrustedSignerKey(entry, entry.Signatures[0].SignerId, allowRecovery: false);
        var key = DecodeNewKey(entry, suite);
        Verify(entry, 0, entry.Signatures[0].SignerId, authoriser, "the registering device's signature");
        Verify(entry, 1, entry.SubjectId, key, "the recovery key's proof of possession");
        return () =>
        {
            CheckTrustedCount(entry.Sequence);
            _usedIds.Add(entry.SubjectId);
            _usedKeys.Add(KeyId(key));
            _recovery.Add(entry.SubjectId, new RecoveryKeyRecord(entry.SubjectId, entry.SubjectName, key.Encoded, entry.Sequence));
        };
    }

    private Action RevokeRecoveryKey(DeviceLogEntry entry, Suite suite)
    {
        _ = suite;
        RequireFields(entry, name: false, key: false, reason: true);
        if (!_recovery.TryGetValue(entry.SubjectId, out var revoked))
            throw Malformed(entry.Sequence, $"'{entry.SubjectId}' is not a registered recovery key");
        RequireSignatureCount(entry, 1);
        var signer = entry.Signatures[0].SignerId;
        var key = TrustedSignerKey(entry, signer, allowRecovery: false);
        Verify(entry, 0, signer, key, "the revoking device's signature");
        return () =>
        {
            _recovery.Remove(revoked.Id);
            _revokedRecovery.Add(revoked with { RevokedAt = entry.Sequence, Reason = entry.Reason });
        };
    }

    private void AddTrusted(DeviceLogEntry entry, SignerKey key)
    {
        CheckTrustedCount(entry.Sequence);
        _usedIds.Add(entry.SubjectId);
        _usedKeys.Add(KeyId(key));
        _devices.Add(entry.SubjectId, new DeviceState(entry.SubjectId, entry.SubjectName, key.Encoded, key, entry.Sequence, entry.Sequence));
    }

    private void CheckTrustedCount(long sequence)
    {
        if (_devices.Count + _recovery.Count >= _limits.MaxTrustedKeys)
            throw new DeviceLogTooLargeException(sequence, $"more than {_limits.MaxTrustedKeys} trusted devices and recovery keys");
    }

    /// <summary>The key of a signer that may authorise at this point: a trusted device, or (for additions) a registered recovery key.</summary>
    private SignerKey TrustedSignerKey(DeviceLogEntry entry, string signerId, bool allowRecovery)
    {
        if (_devices.TryGetValue(signerId, out var device)) return device.Key;
        if (_recovery.TryGetValue(signerId, out var recovery))
        {
            return allowRecovery
                ? SignerKey.Decode(recovery.PublicKey, _policy, _providers)
                : throw new UntrustedSignerException(entry.Sequence, $"recovery key '{signerId}' may only authorise adding a device");
        }

        if (_revokedDevices.Any(d => d.Id == signerId))
            throw new UntrustedSignerException(entry.Sequence, $"signed by '{signerId}', a revoked device");
        if (_revokedRecovery.Any(r => r.Id == signerId))
            throw new UntrustedSignerException(entry.Sequence, $"signed by '{signerId}', a revoked recovery key");
        throw new UntrustedSignerException(entry.Sequence, $"signed by '{signerId}', which this log does not know");
    }

    private void Verify(DeviceLogEntry entry, int index, string expectedSigner, SignerKey key, string what)
    {
        var signature = entry.Signatures[index];
        if (signature.SignerId != expectedSigner)
            throw new DeviceLogSignatureException(entry.Sequence, $"{what} is missing (signature {index} names '{signature.SignerId}', expected '{expectedSigner}')");
        var algorithm = key.Algorithm;
        if (!_providers.Signature(algorithm).Verify(key.Raw, entry.SignedMessage, signature.Signature))
            throw new DeviceLogSignatureException(entry.Sequence, $"{what} ({algorithm.Name}, by '{expectedSigner}') does not verify");
    }

    private SignerKey DecodeKey(DeviceLogEntry entry, Suite suite)
    {
        SignerKey key;
        try
        {
            key = SignerKey.Decode(entry.SubjectPublicKey, _policy, _providers);
        }
        catch (MalformedInputException e)
        {
            throw Malformed(entry.Sequence, $"subject public key: {e.Message}");
        }

        return key.Algorithm == suite.DeviceSignature
            ? key
            : throw Malformed(entry.Sequence, $"a {suite} device key is {suite.DeviceSignature.Name}, not {key.Algorithm.Name}");
    }

    /// <summary>
    /// A key a log introduces (add, rotate, add-recovery) must be new to the log: a revoked device's key,
    /// possibly stolen with it, can never come back under another id or through a rotation.
    /// </summary>
    private SignerKey DecodeNewKey(DeviceLogEntry entry, Suite suite)
    {
        var key = DecodeKey(entry, suite);
        return _usedKeys.Contains(KeyId(key))
            ? throw Malformed(entry.Sequence, "the public key is already used in this log (keys are never reused)")
            : key;
    }

    private static string KeyId(SignerKey key) => Convert.ToHexStringLower(key.Raw);

    private void RequireUnusedId(DeviceLogEntry entry)
    {
        if (_usedIds.Contains(entry.SubjectId))
            throw Malformed(entry.Sequence, $"id '{entry.SubjectId}' is already used in this log (ids are never reused)");
    }

    private static void RequireSignatureCount(DeviceLogEntry entry, int count)
    {
        if (entry.Signatures.Count != count)
            throw new DeviceLogSignatureException(entry.Sequence, $"a {entry.Kind} entry has {count} signature(s), not {entry.Signatures.Count}");
    }

    // One encoding per meaning: fields a kind does not use must be empty; the ones it uses must not be.
    private static void RequireFields(DeviceLogEntry entry, bool name, bool key, bool reason)
    {
        if (name != (entry.SubjectName.Length != 0)) throw Malformed(entry.Sequence, name ? $"a {entry.Kind} entry needs a name" : $"a {entry.Kind} entry has no name");
        if (key != (entry.SubjectPublicKey.Length != 0)) throw Malformed(entry.Sequence, key ? $"a {entry.Kind} entry needs a public key" : $"a {entry.Kind} entry has no public key");
        if (reason != (entry.Reason.Length != 0)) throw Malformed(entry.Sequence, reason ? $"a {entry.Kind} entry needs a reason" : $"a {entry.Kind} entry has no reason");
    }

    private static MalformedInputException Malformed(long sequence, string message) => new($"Device log entry {sequence}: {message}.");

    private sealed record DeviceState(string Id, string Name, byte[] PublicKey, SignerKey Key, long AddedAt, long KeySince);
}

/// <summary>A decoded, provider-validated public signing key.</summary>
internal sealed record SignerKey(SignatureAlgorithm Algorithm, byte[] Raw, byte[] Encoded)
{
    public static SignerKey Decode(byte[] encoded, SuitePolicy policy, CryptoProviders providers)
    {
        var key = CryptoObject.DecodePublicKey(encoded, policy, providers);
        return key.Algorithm is SignatureAlgorithm algorithm
            ? new SignerKey(algorithm, key.Value, encoded)
            : throw new MalformedInputException($"{key.Algorithm.Name} is not a signature algorithm.");
    }
}
