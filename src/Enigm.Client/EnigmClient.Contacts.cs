using Enigm.Client.Errors;
using Enigm.Client.State;
using Enigm.Trust.Accounts;
using Enigm.Trust.States;
using Enigm.Trust.Verification;

namespace Enigm.Client;

// Contacts: pinned through their verified, transparency-checked device logs; verified by safety number or QR code.
public sealed partial class EnigmClient
{
    private async Task<ContactSummary> AddContactCoreAsync(string name, string account, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(account);
        if (!ContactBook.IsValidName(name))
            throw new ArgumentException($"A contact name is 1-{ContactBook.MaxNameLength} characters without '/', control characters or surrounding spaces.", nameof(name));
        AccountFingerprint fingerprint;
        try
        {
            fingerprint = AccountFingerprint.FromHex(account.Trim().ToLowerInvariant());
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new ArgumentException("An account is the 64 hex characters of its fingerprint.", nameof(account), e);
        }

        if (fingerprint.Equals(OwnAccount)) throw new ContactExistsException("That is this device's own account.");
        if (_contacts.Get(name) is { } taken && taken.Account != fingerprint.Hex)
            throw new ContactExistsException($"The name '{name}' already stands for account {taken.Account}.");
        if (_contacts.ByAccount(fingerprint.Hex) is { } other && other.Name != name)
            throw new ContactExistsException($"Account {fingerprint.Hex} is already a contact, named '{other.Name}'.");

        var log = await RefreshLogAsync(fingerprint, ct);
        _trust.ObserveContact(name, fingerprint);
        ObserveDevices(log, isOwn: false);
        var existing = _contacts.Get(name);
        _contacts.Put(new ContactRecord(name, fingerprint.Hex, existing?.DeliveryToken, existing?.AddedAt ?? _options.Time.GetUtcNow()));
        return Summary(_contacts.Get(name)!);
    }

    private ContactRecord RequireContact(string contact) =>
        _contacts.Find(contact ?? throw new ArgumentNullException(nameof(contact))) ?? throw new ContactNotFoundException(contact);

    private ContactSummary Summary(ContactRecord contact)
    {
        var trust = _trust.Contact(contact.Name);
        var log = _tracker.Load(AccountFingerprint.FromHex(contact.Account));
        return new ContactSummary(contact.Name, contact.Account, trust?.State ?? TrustState.Unverified,
            log is null ? [] : [.. log.Devices.Select(d => d.Id)], contact.DeliveryToken is not null);
    }

    private Trust.Verification.SafetyNumber SafetyNumberCore(string contact) =>
        SafetyNumbers.For(OwnAccount, AccountFingerprint.FromHex(RequireContact(contact).Account));

    private string SafetyNumberQrCore(string contact) =>
        new Trust.Verification.SafetyNumberQr(OwnAccount, AccountFingerprint.FromHex(RequireContact(contact).Account)).ToText();

    private ContactSummary VerifyContactCore(string contact, string safetyNumber)
    {
        ArgumentNullException.ThrowIfNull(safetyNumber);
        var record = RequireContact(contact);
        var expected = SafetyNumbers.For(OwnAccount, AccountFingerprint.FromHex(record.Account));
        var digits = new string([.. safetyNumber.Where(c => !char.IsWhiteSpace(c))]);
        if (digits.Length != Trust.Verification.SafetyNumber.DigitCount || !digits.All(char.IsAsciiDigit))
            throw new SafetyNumberMismatchException(record.Name, $"a safety number is {Trust.Verification.SafetyNumber.DigitCount} digits");
        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(digits), System.Text.Encoding.ASCII.GetBytes(expected.Digits)))
            throw new SafetyNumberMismatchException(record.Name, "the other side's number differs from this side's");
        if (!_trust.ConfirmComparedNumber(record.Name, expected, OwnAccount))
            throw new SafetyNumberMismatchException(record.Name, "the number is not the one of the contact's current account");
        return Summary(record);
    }

    private ContactSummary VerifyContactByQrCore(string contact, string scannedQr)
    {
        ArgumentNullException.ThrowIfNull(scannedQr);
        var record = RequireContact(contact);
        Trust.Verification.SafetyNumberQr scanned;
        try
        {
            scanned = Trust.Verification.SafetyNumberQr.ParseText(scannedQr.Trim());
        }
        catch (EnigmException e)
        {
            throw new SafetyNumberMismatchException(record.Name, $"the scanned code is not a safety-number code ({e.Message})");
        }

        var result = _trust.VerifyScannedCode(record.Name, scanned, OwnAccount);
        if (result != QrComparison.Match) throw new SafetyNumberMismatchException(record.Name, $"the scanned code does not match ({result})");
        return Summary(record);
    }
}
