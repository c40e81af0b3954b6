using Enigm.Trust.Accounts;
using Enigm.Trust.States;

namespace Enigm.Trust.Verification;

/// <summary>Ties the two verification methods to the trust book: a match marks the contact verified, anything else changes nothing.</summary>
public static class ContactVerification
{
    /// <summary>
    /// Compares a scanned safety-number code with what this side holds for <paramref name="contact"/>
    /// and, on <see cref="QrComparison.Match"/>, marks the contact verified.
    /// </summary>
    public static QrComparison VerifyScannedCode(this TrustBook book, string contact, SafetyNumberQr scanned, AccountFingerprint localAccount)
    {
        ArgumentNullException.ThrowIfNull(book);
        var held = book.Contact(contact) ?? throw new InvalidOperationException($"Contact {contact} is not known; observe its fingerprint first.");
        var result = SafetyNumberQr.Compare(scanned, localAccount, held.Fingerprint);
        if (result == QrComparison.Match) book.MarkVerified(contact, held.Fingerprint, "QR code scanned");
        return result;
    }

    /// <summary>
    /// Records that the user compared the displayed <paramref name="shown"/> safety number with the
    /// peer's screen and they were equal; the number must be the one for the fingerprint held now.
    /// Returns false (and changes nothing) when it is not.
    /// </summary>
    public static bool ConfirmComparedNumber(this TrustBook book, string contact, SafetyNumber shown, AccountFingerprint localAccount)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(shown);
        var held = book.Contact(contact) ?? throw new InvalidOperationException($"Contact {contact} is not known; observe its fingerprint first.");
        if (SafetyNumbers.For(localAccount, held.Fingerprint).Digits != shown.Digits) return false;
        book.MarkVerified(contact, held.Fingerprint, "safety number compared");
        return true;
    }
}
