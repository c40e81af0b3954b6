using System.Collections.Concurrent;

namespace Enigm.Trust.States;

/// <summary>An <see cref="ITrustStateStore"/> in memory, for tests and the demo.</summary>
public sealed class InMemoryTrustStateStore : ITrustStateStore
{
    private readonly ConcurrentDictionary<string, ContactTrust> _contacts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Account, string DeviceId), DeviceTrust> _devices = new();

    public ContactTrust? GetContact(string contact) => _contacts.GetValueOrDefault(contact);

    public void PutContact(ContactTrust contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        _contacts[contact.Contact] = contact;
    }

    public IReadOnlyList<ContactTrust> Contacts() => [.. _contacts.Values.OrderBy(c => c.Contact, StringComparer.Ordinal)];

    public DeviceTrust? GetDevice(string account, string deviceId) => _devices.GetValueOrDefault((account, deviceId));

    public void PutDevice(DeviceTrust device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _devices[(device.Account, device.DeviceId)] = device;
    }

    public IReadOnlyList<DeviceTrust> Devices() =>
        [.. _devices.Values.OrderBy(d => d.Account, StringComparer.Ordinal).ThenBy(d => d.DeviceId, StringComparer.Ordinal)];
}
