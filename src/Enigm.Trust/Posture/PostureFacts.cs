namespace Enigm.Trust.Posture;

/// <summary>How the device's private keys are protected at rest (Enigm.Keys protectors, DESIGN "Keys and their lifecycle").</summary>
public enum KeyProtectorKind
{
    /// <summary>Not reported or not known to this version.</summary>
    Unknown = 0,

    /// <summary>Wrapped under a passphrase-derived key (Argon2id).</summary>
    Passphrase = 1,

    /// <summary>Wrapped under a TPM 2.0-held key.</summary>
    Tpm = 2,

    /// <summary>Wrapped under an operating-system key store key.</summary>
    OsKeyStore = 3,
}

/// <summary>The result of the device verifying its own Enigm.Keys audit log (AuditVerifier).</summary>
public enum AuditLogCheck
{
    NotChecked = 0,
    Verified = 1,
    Failed = 2,
}

/// <summary>
/// One key's age against its cryptoperiod (NIST SP 800-57 part 1, 5.3), as the device's key ring reports it:
/// <see cref="Due"/> when its rotation is due now, <see cref="Overdue"/> when it is used past its cryptoperiod. The
/// purpose is a short label such as <c>device-signing</c>; no key id or key material is reported.
/// </summary>
public sealed record KeyAgeReport(string Purpose, TimeSpan Age, TimeSpan Cryptoperiod, bool Due, bool Overdue);
