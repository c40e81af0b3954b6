using System.Security.Cryptography;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Trust.DeviceLog;

namespace Enigm.Trust.Enrollment;

/// <summary>
/// The existing device's side of enrollment over a real device log: the add-device entry is
/// prepared by <see cref="DeviceLogWriter"/>, co-signed by the new device (proof of possession),
/// signed by this device and appended; the account state sent back is the whole encoded log.
/// </summary>
public sealed class DeviceLogEnrollmentLog(DeviceLogWriter writer, string authoriserId, PrivateKey authoriserKey) : IEnrollmentLog
{
    public byte[] PrepareAddDevice(EnrolledDeviceKey newDevice, string deviceName)
    {
        ArgumentNullException.ThrowIfNull(newDevice);
        if (newDevice.Algorithm != writer.Suite.DeviceSignature)
            throw new InvalidKeyException($"Device keys of this account are {writer.Suite.DeviceSignature.Name}, not {newDevice.Algorithm.Name}.");
        return writer.PrepareAddDevice(DeviceLogWriter.DeviceIdFor(newDevice.PublicKey), deviceName, newDevice.PublicKey).Bytes;
    }

    public byte[] CompleteAddDevice(byte[] prepared, byte[] newDeviceSignature)
    {
        // Complete replays the entry through the verifier: a bad proof of possession is a DeviceLogSignatureException.
        writer.CompleteAddDevice(UnsignedDeviceLogEntry.Decode(prepared), authoriserId, authoriserKey, newDeviceSignature);
        return DeviceLogFile.Encode(writer.Entries);
    }
}

/// <summary>The new device's side: its own device key co-signs only an entry that adds exactly that key.</summary>
public sealed class DeviceKeyCosigner(PrivateKey deviceKey, CryptoProviders? providers = null) : INewDeviceCosigner
{
    public EnrolledDeviceKey DeviceKey { get; } = new(
        deviceKey.Algorithm as Crypto.Algorithms.SignatureAlgorithm ?? throw new InvalidKeyException("Not a signature key."),
        deviceKey.PublicKey);

    public bool EntryAddsThisDevice(ReadOnlySpan<byte> preparedEntry)
    {
        try
        {
            var entry = UnsignedDeviceLogEntry.Decode(preparedEntry.ToArray());
            if (entry.Kind != DeviceLogEntryKind.AddDevice || entry.SubjectId != DeviceLogWriter.DeviceIdFor(deviceKey.PublicKey)) return false;
            var key = CryptoObject.Decode(entry.SubjectPublicKey, ObjectType.PublicKey, SuitePolicy.Default);
            return CryptographicOperations.FixedTimeEquals(key.Value, deviceKey.PublicKey);
        }
        catch (EnigmException)
        {
            return false;
        }
    }

    public byte[] SignEntry(ReadOnlySpan<byte> preparedEntry) =>
        DeviceLogWriter.SignAsNewDevice(UnsignedDeviceLogEntry.Decode(preparedEntry.ToArray()), deviceKey, providers);
}
