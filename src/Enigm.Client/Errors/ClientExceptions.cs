using Enigm.Crypto.Errors;

namespace Enigm.Client.Errors;

/// <summary>
/// The device's home is not in the state the operation needs: no device there yet, a device already there, or
/// stored client state that no longer authenticates or decodes (nothing is changed then).
/// </summary>
public sealed class ClientStateException(string message, Exception? inner = null)
    : EnigmException("client-state", message, inner);

/// <summary>No contact has this name (or account) on this device.</summary>
public sealed class ContactNotFoundException(string contact)
    : EnigmException("contact-unknown", $"No contact named '{contact}' on this device; add it first.")
{
    public string Contact { get; } = contact;
}

/// <summary>A contact name is already taken by another account, or the account is already a contact under another name.</summary>
public sealed class ContactExistsException(string message)
    : EnigmException("contact-exists", message);

/// <summary>The safety number or QR code compared does not match: the contact stays unverified (someone may be in the middle).</summary>
public sealed class SafetyNumberMismatchException(string contact, string detail)
    : EnigmException("safety-number-mismatch", $"The safety number for '{contact}' does not match: {detail}. The contact was not marked verified.")
{
    public string Contact { get; } = contact;
}

/// <summary>Device linking did not complete: the other side did not answer in time, or sent something out of order.</summary>
public sealed class DeviceLinkException(string message, Exception? inner = null)
    : EnigmException("device-link-failed", message, inner);

/// <summary>An attachment file could not be read or written (the local file, not the cryptography).</summary>
public sealed class AttachmentFileException(string message, Exception? inner = null)
    : EnigmException("attachment-file", message, inner);
