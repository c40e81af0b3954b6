namespace Enigm.Trust.DeviceLog;

/// <summary>What a device-log entry does (docs/trust-device-log.md, "Entry kinds"). Values are part of the format and never reused.</summary>
public enum DeviceLogEntryKind : byte
{
    /// <summary>The first entry: the account's first device, signed by itself.</summary>
    Genesis = 1,

    /// <summary>A new device, signed by a trusted device or a recovery key and by the new device (proof of possession).</summary>
    AddDevice = 2,

    /// <summary>A device is no longer trusted, signed by another trusted device, with a reason.</summary>
    RevokeDevice = 3,

    /// <summary>A device replaces its signing key, signed by the old and by the new key.</summary>
    RotateDeviceKey = 4,

    /// <summary>An offline recovery key is registered, signed by a trusted device and by the recovery key.</summary>
    AddRecoveryKey = 5,

    /// <summary>A recovery key is removed, signed by a trusted device, with a reason.</summary>
    RevokeRecoveryKey = 6,
}
