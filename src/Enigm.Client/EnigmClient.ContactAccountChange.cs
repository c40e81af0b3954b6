using Enigm.Client.Errors;
using Enigm.Client.State;
using Enigm.Trust.Accounts;

namespace Enigm.Client;

// A contact that moved to a new account (lost every device and started over, as a Signal user re-registers): the
// name now stands for another fingerprint, so its safety number changes. Trust.States.TrustBook turns a verified
// contact "changed" (sending blocked under the default policy until the new number is compared).
public sealed partial class EnigmClient
{
    /// <summary>
    /// Points the contact's name at the account <paramref name="newAccount"/> (fetched, verified and pinned as in
    /// <see cref="AddContactAsync"/>). A verified contact turns <c>changed</c>: sends are refused under the blocking
    /// policy until the new safety number is compared. The delivery token of the old account is dropped. Typed errors:
    /// <see cref="ContactNotFoundException"/>, <see cref="ContactExistsException"/> (the account is another contact,
    /// or this account), <c>MalformedInputException</c> (not 64 hex digits), the relay and Trust families.
    /// </summary>
    public Task<ContactSummary> ChangeContactAccountAsync(string contact, string newAccount, CancellationToken cancellation = default) =>
        Serialised(() => ChangeContactAccountCoreAsync(contact, newAccount, cancellation), cancellation);

    private async Task<ContactSummary> ChangeContactAccountCoreAsync(string contact, string newAccount, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(newAccount);
        var record = RequireContact(contact);
        // Not 64 hex digits: Enigm.Crypto's MalformedInputException, as for AddContactAsync.
        var fingerprint = AccountFingerprint.FromHex(newAccount.Trim().ToLowerInvariant());

        if (fingerprint.Hex == record.Account) return Summary(record);
        if (fingerprint.Equals(OwnAccount)) throw new ContactExistsException("That is this device's own account.");
        if (_contacts.ByAccount(fingerprint.Hex) is { } other)
            throw new ContactExistsException($"Account {fingerprint.Hex} is already a contact, named '{other.Name}'.");

        var log = await RefreshLogAsync(fingerprint, ct);
        _trust.ObserveContact(record.Name, fingerprint);
        ObserveDevices(log, isOwn: false);
        _contacts.Put(new ContactRecord(record.Name, fingerprint.Hex, null, record.AddedAt));
        return Summary(_contacts.Get(record.Name)!);
    }
}
