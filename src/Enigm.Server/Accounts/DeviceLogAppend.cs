using Enigm.Relay;
using Enigm.Server.Http;
using Enigm.Server.Storage;
using Enigm.Trust.DeviceLog;

namespace Enigm.Server.Accounts;

/// <summary>
/// The directory's rule for a new version of an account's device log (docs/trust-device-log.md, "Verification rules"):
/// it must hold every stored entry byte for byte at the same position (else <c>device-log-fork</c>), be at least as long
/// (else <c>device-log-rollback</c>), and verify from genesis (else <c>device-log-invalid</c>). Pure: the endpoint
/// stores the result with a compare-and-swap on the stored entry count.
/// </summary>
public static class DeviceLogAppend
{
    /// <summary>The trusted set of <paramref name="newLog"/>, or the refusal; <paramref name="unchanged"/> when it equals the stored log.</summary>
    public static TrustedDeviceSet Check(StoredAccount stored, byte[] newLog, VerifiedLogCache logs, out IReadOnlyList<byte[]> newEntries, out bool unchanged)
    {
        var storedEntries = DeviceLogFile.Decode(stored.DeviceLog);
        try
        {
            newEntries = DeviceLogFile.Decode(newLog);
        }
        catch (EnigmException e)
        {
            throw new RelayProblemException(422, RelayProblem.LogInvalid, "the device log does not decode: " + e.Message);
        }

        var shared = Math.Min(storedEntries.Count, newEntries.Count);
        for (var i = 0; i < shared; i++)
        {
            if (!storedEntries[i].AsSpan().SequenceEqual(newEntries[i]))
                throw new RelayProblemException(409, RelayProblem.LogFork, $"entry {i} differs from the stored log's; fetch the log and append to it");
        }

        if (newEntries.Count < storedEntries.Count)
            throw new RelayProblemException(409, RelayProblem.LogRollback, $"the log ends at entry {newEntries.Count - 1}, before the stored head {storedEntries.Count - 1}");
        unchanged = newEntries.Count == storedEntries.Count;
        try
        {
            return logs.Verify(newLog);
        }
        catch (EnigmException e)
        {
            throw new RelayProblemException(422, RelayProblem.LogInvalid, "the device log does not verify: " + e.Message);
        }
    }

    /// <summary>The device list the store keeps next to the log: trusted devices, then revoked ones.</summary>
    public static IReadOnlyList<StoredDevice> Devices(TrustedDeviceSet set) =>
        [.. set.Devices.Select(d => new StoredDevice(d.Id, false)), .. set.RevokedDevices.Select(d => new StoredDevice(d.Id, true))];
}
