using Enigm.Crypto.Algorithms;

namespace Enigm.Trust.Enrollment;

/// <summary>The new device's signing public key, as it arrives over the enrollment channel.</summary>
public sealed record EnrolledDeviceKey(SignatureAlgorithm Algorithm, byte[] PublicKey);

/// <summary>
/// The existing device's seam to the account's device log (written elsewhere): enrollment calls it only
/// after both users confirmed the short authentication string, and only through these two steps.
/// </summary>
public interface IEnrollmentLog
{
    /// <summary>
    /// Builds the unsigned "add device" entry for <paramref name="newDevice"/> (with this device's
    /// signature as the trusted signer, if the log format wants it first) and returns the exact bytes
    /// the new device must co-sign as proof of possession. Nothing is appended yet.
    /// </summary>
    byte[] PrepareAddDevice(EnrolledDeviceKey newDevice, string deviceName);

    /// <summary>
    /// Verifies <paramref name="newDeviceSignature"/> over <paramref name="prepared"/>, appends the
    /// entry and returns the account state (for example the whole device log) to send to the new device.
    /// Throws a typed error (for example <c>DeviceLogSignatureException</c>) when the co-signature is bad.
    /// </summary>
    byte[] CompleteAddDevice(byte[] prepared, byte[] newDeviceSignature);
}

/// <summary>
/// The new device's seam to its own signing key (which never leaves it): enrollment asks it to check
/// that the entry it is about to co-sign adds this very key, then to sign it.
/// </summary>
public interface INewDeviceCosigner
{
    /// <summary>The public key announced to the existing device.</summary>
    EnrolledDeviceKey DeviceKey { get; }

    /// <summary>True when <paramref name="preparedEntry"/> is an "add device" entry for <see cref="DeviceKey"/>.</summary>
    bool EntryAddsThisDevice(ReadOnlySpan<byte> preparedEntry);

    /// <summary>The proof-of-possession signature over <paramref name="preparedEntry"/>.</summary>
    byte[] SignEntry(ReadOnlySpan<byte> preparedEntry);
}
