using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;

namespace Enigm.Trust.DeviceLog;

/// <summary>
/// An entry waiting for its signatures: the bytes an existing device sends to a new device (over the
/// enrollment channel) so that the new device can check what it is asked to sign and add its proof of
/// possession. Encoded like an entry with no signatures.
/// </summary>
public sealed class UnsignedDeviceLogEntry
{
    private UnsignedDeviceLogEntry(DeviceLogEntry entry) => Entry = entry;

    /// <summary>The transportable bytes.</summary>
    public byte[] Bytes => Entry.Encoded;

    public DeviceLogEntryKind Kind => Entry.Kind;

    public long Sequence => Entry.Sequence;

    public ushort SuiteId => Entry.SuiteId;

    public string SubjectId => Entry.SubjectId;

    public string SubjectName => Entry.SubjectName;

    /// <summary>The subject's public key as an encoded <c>CryptoObject</c> (empty for revocations).</summary>
    public byte[] SubjectPublicKey => Entry.SubjectPublicKey;

    public string Reason => Entry.Reason;

    internal DeviceLogEntry Entry { get; }

    internal static UnsignedDeviceLogEntry Create(ushort suiteId, byte[] body, SuitePolicy policy) =>
        new(DeviceLogEncoding.Decode(DeviceLogEncoding.EncodeEntry(suiteId, body, []), policy, DeviceLogLimits.Default.MaxEntryBytes));

    /// <summary>Decodes bytes received from another device; they must be an entry without signatures.</summary>
    public static UnsignedDeviceLogEntry Decode(byte[] bytes, SuitePolicy? policy = null)
    {
        var entry = DeviceLogEncoding.Decode(bytes, policy ?? SuitePolicy.Default, DeviceLogLimits.Default.MaxEntryBytes);
        return entry.Signatures.Count == 0
            ? new UnsignedDeviceLogEntry(entry)
            : throw new MalformedInputException("An unsigned device-log entry carries no signatures.");
    }
}
