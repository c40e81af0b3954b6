namespace Enigm.Trust.Posture;

/// <summary>
/// What a device states about its own security posture (issue 14, docs/policy.md "Posture statement"), signed with its
/// device key. Deliberately nothing more than the fields below: no message content, no contact names or identifiers,
/// only counts; the account and device ids are ones the relay already routes by.
/// </summary>
/// <param name="Account">The account id (the relay's routing id).</param>
/// <param name="Device">The device id (<c>dev-…</c>), whose key in the account's device log signs the statement.</param>
/// <param name="IssuedAt">When the device made the statement (millisecond precision).</param>
/// <param name="ClientVersion">Dotted numeric version of the Enigm client.</param>
/// <param name="OsVersion">Dotted numeric version of the operating system.</param>
/// <param name="InstalledRelease">Dotted numeric version of the installed OTA release (empty when none was installed).</param>
/// <param name="LastOtaCheck">When the updater last completed a verified check (TUF client workflow); null if never.</param>
public sealed record PostureStatement(
    string Account,
    string Device,
    DateTimeOffset IssuedAt,
    string ClientVersion,
    string OsVersion,
    KeyProtectorKind KeyProtector,
    IReadOnlyList<KeyAgeReport> Keys,
    string InstalledRelease,
    DateTimeOffset? LastOtaCheck,
    AuditLogCheck AuditLog,
    int UnverifiedContacts,
    int ChangedContacts)
{
    /// <summary>Keys whose rotation is due (not yet past their cryptoperiod).</summary>
    public int KeysDue => Keys.Count(k => k.Due && !k.Overdue);

    /// <summary>Keys used past their cryptoperiod.</summary>
    public int KeysOverdue => Keys.Count(k => k.Overdue);

    /// <summary>The oldest key's age (zero when no key is reported).</summary>
    public TimeSpan OldestKeyAge => Keys.Count == 0 ? TimeSpan.Zero : Keys.Max(k => k.Age);
}
