using Enigm.Keys.Records;
using Enigm.Trust.Accounts;
using Enigm.Trust.States;

namespace Enigm.Client.State;

/// <summary><see cref="ITrustStateStore"/> over protected records: one sealed record per contact and per device, with its history.</summary>
internal sealed class RecordTrustStateStore(ProtectedRecords records, RecordNamer namer) : ITrustStateStore
{
    public ContactTrust? GetContact(string contact)
    {
        var name = RecordNames.ContactTrustPrefix + namer.Hide(contact);
        var bytes = records.Get(name);
        return bytes is null ? null : ToContact(StateJson.Read(name, bytes, StateJson.Default.ContactTrustDto));
    }

    public void PutContact(ContactTrust contact) =>
        records.Put(RecordNames.ContactTrustPrefix + namer.Hide(contact.Contact), StateJson.Write(FromContact(contact), StateJson.Default.ContactTrustDto));

    public IReadOnlyList<ContactTrust> Contacts() =>
        [.. records.Names(RecordNames.ContactTrustPrefix).Select(n => ToContact(StateJson.Read(n, records.Get(n)!, StateJson.Default.ContactTrustDto))).OrderBy(c => c.Contact, StringComparer.Ordinal)];

    public DeviceTrust? GetDevice(string account, string deviceId)
    {
        var name = DeviceName(account, deviceId);
        var bytes = records.Get(name);
        return bytes is null ? null : ToDevice(StateJson.Read(name, bytes, StateJson.Default.DeviceTrustDto));
    }

    public void PutDevice(DeviceTrust device) =>
        records.Put(DeviceName(device.Account, device.DeviceId), StateJson.Write(FromDevice(device), StateJson.Default.DeviceTrustDto));

    public IReadOnlyList<DeviceTrust> Devices() =>
    [
        .. records.Names(RecordNames.DeviceTrustPrefix)
            .Select(n => ToDevice(StateJson.Read(n, records.Get(n)!, StateJson.Default.DeviceTrustDto)))
            .OrderBy(d => d.Account, StringComparer.Ordinal)
            .ThenBy(d => d.DeviceId, StringComparer.Ordinal),
    ];

    private string DeviceName(string account, string deviceId) => RecordNames.DeviceTrustPrefix + namer.Hide(account + "/" + deviceId);

    private static ContactTrustDto FromContact(ContactTrust c) =>
        new(c.Contact, c.Fingerprint.Hex, c.VerifiedFingerprint?.Hex, (int)c.State, c.Since, [.. c.History.Select(FromChange)]);

    private static ContactTrust ToContact(ContactTrustDto d) =>
        new(d.Contact, AccountFingerprint.FromHex(d.Fingerprint), d.VerifiedFingerprint is null ? null : AccountFingerprint.FromHex(d.VerifiedFingerprint),
            (TrustState)d.State, d.Since, [.. d.History.Select(ToChange)]);

    private static DeviceTrustDto FromDevice(DeviceTrust d) =>
        new(d.Account, d.DeviceId, d.IsOwnDevice, (int)d.State, d.Since, d.KeyCreatedAt, d.RevocationReviewed, [.. d.History.Select(FromChange)]);

    private static DeviceTrust ToDevice(DeviceTrustDto d) =>
        new(d.Account, d.DeviceId, d.IsOwnDevice, (TrustState)d.State, d.Since, d.KeyCreatedAt, d.RevocationReviewed, [.. d.History.Select(ToChange)]);

    private static TrustChangeDto FromChange(TrustChange c) => new(c.At, (int?)c.From, (int)c.To, c.Reason);

    private static TrustChange ToChange(TrustChangeDto c) => new(c.At, (TrustState?)c.From, (TrustState)c.To, c.Reason);
}
