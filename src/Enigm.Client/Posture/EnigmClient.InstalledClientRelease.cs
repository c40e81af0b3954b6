using System.Buffers.Binary;
using Enigm.Client.Posture;
using Enigm.Crypto.Errors;
using Enigm.Trust.Policy;

namespace Enigm.Client;

// The client release a managed device installed through OTA (issue 14, docs/policy.md "Client version"). A managed
// fleet updates its client through the organisation's TUF repository: once the updater has verified and installed a
// client release, that release's version is what the device runs (after its restart), so its posture reports it as
// the client version; before any install, the running assembly's version stands.
public sealed partial class EnigmClient
{
    /// <summary>
    /// Records that the client release <paramref name="version"/> was verified and installed through OTA at
    /// <paramref name="installedAt"/>: the next posture statement reports it as the client version and as the installed
    /// release, with <paramref name="installedAt"/> as the last verified update check. A version that is not dotted
    /// numeric (<see cref="VersionNumber"/>) is refused with <see cref="MalformedInputException"/> and nothing changes.
    /// </summary>
    public void RecordInstalledClientRelease(string version, DateTimeOffset installedAt)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (!VersionNumber.IsValid(version))
            throw new MalformedInputException($"Installed client release '{Printable(version)}' is not a dotted numeric version.");
        var bytes = new byte[8 + System.Text.Encoding.UTF8.GetByteCount(version)];
        BinaryPrimitives.WriteInt64BigEndian(bytes, installedAt.ToUnixTimeMilliseconds());
        System.Text.Encoding.UTF8.GetBytes(version, bytes.AsSpan(8));
        _records.Put(PostureRecords.InstalledClientRelease, bytes);
        RecordUpdateCheck(version, installedAt);
    }

    /// <summary>The client release installed through OTA and when, or null when none was (the running assembly's version stands).</summary>
    public (string Version, DateTimeOffset InstalledAt)? InstalledClientRelease()
    {
        // Written only by RecordInstalledClientRelease, which checked the version; a record that does not read back as
        // one (a damaged store) counts as none rather than feeding a malformed version into a signed statement.
        if (_records.Get(PostureRecords.InstalledClientRelease) is not { Length: > 8 } bytes) return null;
        var version = System.Text.Encoding.UTF8.GetString(bytes.AsSpan(8));
        return VersionNumber.IsValid(version) ? (version, DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(bytes))) : null;
    }

    /// <summary>At most 40 printable ASCII characters of <paramref name="text"/>, for an error message.</summary>
    private static string Printable(string text) =>
        new string([.. text.Take(40).Select(c => c is >= ' ' and <= '~' ? c : '?')]) + (text.Length > 40 ? "…" : "");
}
