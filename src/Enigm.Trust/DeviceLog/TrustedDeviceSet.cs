using System.Security.Cryptography;
using Enigm.Trust.Accounts;

namespace Enigm.Trust.DeviceLog;

/// <summary>A device the log trusts now: its current key, and since which entries.</summary>
/// <param name="PublicKey">The current signing key as an encoded <c>CryptoObject</c>.</param>
/// <param name="AddedAt">Sequence of the entry that added the device (0 for the genesis device).</param>
/// <param name="KeySince">Sequence of the entry that introduced the current key (a rotation, or <paramref name="AddedAt"/>).</param>
public sealed record TrustedDevice(string Id, string Name, byte[] PublicKey, long AddedAt, long KeySince)
{
    /// <summary>Short public fingerprint of the key: first 8 bytes of SHA-256 over the encoded key, hex.</summary>
    public string KeyFingerprint => DeviceKeys.Fingerprint(PublicKey);
}

/// <summary>A device the log revoked: who revoked it, when and why.</summary>
public sealed record RevokedDevice(string Id, string Name, byte[] PublicKey, long AddedAt, long RevokedAt, string RevokedBy, string Reason)
{
    public string KeyFingerprint => DeviceKeys.Fingerprint(PublicKey);
}

/// <summary>A registered recovery key (<see cref="RevokedAt"/> is set once revoked).</summary>
public sealed record RecoveryKeyRecord(string Id, string Label, byte[] PublicKey, long AddedAt, long? RevokedAt = null, string? Reason = null)
{
    public string KeyFingerprint => DeviceKeys.Fingerprint(PublicKey);
}

/// <summary>
/// The result of replaying a device log from genesis: which devices and recovery keys are trusted at the
/// head, and which were revoked. Immutable.
/// </summary>
public sealed record TrustedDeviceSet(
    AccountFingerprint Account,
    DeviceLogHead Head,
    ushort SuiteId,
    IReadOnlyList<TrustedDevice> Devices,
    IReadOnlyList<RevokedDevice> RevokedDevices,
    IReadOnlyList<RecoveryKeyRecord> RecoveryKeys,
    IReadOnlyList<RecoveryKeyRecord> RevokedRecoveryKeys)
{
    /// <summary>The trusted device with this id, or null (revoked and unknown devices are not trusted).</summary>
    public TrustedDevice? Find(string deviceId) => Devices.FirstOrDefault(d => d.Id == deviceId);

    public bool IsTrusted(string deviceId) => Find(deviceId) is not null;
}

internal static class DeviceKeys
{
    public static string Fingerprint(byte[] encodedPublicKey) =>
        Convert.ToHexStringLower(SHA256.HashData(encodedPublicKey).AsSpan(0, 8));
}
