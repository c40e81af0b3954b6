namespace Enigm.Trust.States;

/// <summary>
/// Where trust states live (the libsignal <c>IdentityKeyStore</c> shape): plain get/put of records. The
/// rules are in <see cref="TrustBook"/>; implementations only persist.
/// </summary>
public interface ITrustStateStore
{
    ContactTrust? GetContact(string contact);

    void PutContact(ContactTrust contact);

    IReadOnlyList<ContactTrust> Contacts();

    DeviceTrust? GetDevice(string account, string deviceId);

    void PutDevice(DeviceTrust device);

    IReadOnlyList<DeviceTrust> Devices();
}
