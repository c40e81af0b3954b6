using Enigm.Trust.States;

namespace Enigm.Client;

// Trust history, read-only: what the Trust Security Center page (src/Enigm.Center) lists as "recent trust events".
public sealed partial class EnigmClient
{
    /// <summary>One transition of a contact's or a device's trust state (Enigm.Trust.States.TrustChange), with its subject.</summary>
    /// <param name="Subject">The contact's local name, or the device id.</param>
    /// <param name="Account">The account fingerprint (hex) the subject belongs to.</param>
    /// <param name="IsDevice">True for a device, false for a contact account.</param>
    /// <param name="Change">When, from what, to what and why.</param>
    public sealed record TrustEvent(string Subject, string Account, bool IsDevice, TrustChange Change);

    /// <summary>A contact's trust history, oldest first; <see cref="Errors.ContactNotFoundException"/> when unknown.</summary>
    public IReadOnlyList<TrustChange> ContactHistory(string contact) =>
        Serialised(() => _trust.Contact(RequireContact(contact).Name)?.History ?? []);

    /// <summary>The newest <paramref name="limit"/> trust transitions of every contact and device, newest first.</summary>
    public IReadOnlyList<TrustEvent> RecentTrustEvents(int limit = 50) => Serialised(() =>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var contacts = _trustStore.Contacts().SelectMany(c => c.History.Select(h => new TrustEvent(c.Contact, c.Fingerprint.Hex, false, h)));
        var devices = _trustStore.Devices().SelectMany(d => d.History.Select(h => new TrustEvent(d.DeviceId, d.Account, true, h)));
        return (IReadOnlyList<TrustEvent>)[.. contacts.Concat(devices).OrderByDescending(e => e.Change.At).Take(limit)];
    });
}
