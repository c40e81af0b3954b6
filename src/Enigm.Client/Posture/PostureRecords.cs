namespace Enigm.Client.Posture;

/// <summary>The client's protected records for organisation state (docs/client.md, "What the client stores").</summary>
internal static class PostureRecords
{
    /// <summary>The pinned organisation key (encoded public key).</summary>
    public const string OrganisationKey = "client/org/key";

    /// <summary>The highest policy version accepted (8 bytes, big-endian).</summary>
    public const string PolicyVersion = "client/org/policy-version";

    /// <summary>The admin audit head accepted: sequence (8 bytes, big-endian) ‖ hash.</summary>
    public const string AuditHead = "client/org/audit-head";

    /// <summary>The last posture statement published (signed bytes).</summary>
    public const string LastPosture = "client/org/last-posture";

    /// <summary>The installed release and the time of the last verified update check: unix ms (8 bytes) ‖ UTF-8 version.</summary>
    public const string UpdateCheck = "client/org/update-check";

    /// <summary>
    /// The client release installed through OTA (a managed fleet updates its client that way): unix ms (8 bytes) ‖ UTF-8
    /// version. When present it is the posture's client version, not the running assembly's (docs/policy.md).
    /// </summary>
    public const string InstalledClientRelease = "client/org/installed-client-release";
}
