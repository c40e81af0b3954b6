namespace Enigm.Messaging.Errors;

// Typed failures of session setup, prekeys, sealed sender and fan-out. Unparsable or oversize bytes reuse
// Enigm.Crypto's MalformedInputException (and its suite/version errors), a refused changed contact reuses
// Enigm.Trust's ContactChangedException, so those keep their exit codes everywhere. No message here ever
// carries secret bytes.

/// <summary>A prekey bundle or identity certificate does not verify: bad signature, or content that contradicts itself or its device log.</summary>
public sealed class PrekeyBundleInvalidException(string message)
    : EnigmException("prekey-bundle-invalid", message);

/// <summary>The device is not trusted by the verified device log of its account: unknown, revoked, or signed with a key the log no longer holds.</summary>
public sealed class UntrustedDeviceException(string account, string deviceId, string reason)
    : EnigmException("device-not-trusted", $"Device {deviceId} of account {account} is not trusted: {reason}.")
{
    public string Account { get; } = account;

    public string DeviceId { get; } = deviceId;
}

/// <summary>
/// A public key in a bundle or initial message is unusable for PQXDH: not the canonical encoding (an X25519
/// u-coordinate at or above 2^255-19, or with the top bit set), a low-order point, or a KEM key failing FIPS 203 7.2.
/// </summary>
public sealed class SetupKeyInvalidException(string message, Exception? inner = null)
    : EnigmException("setup-key-invalid", message, inner);

/// <summary>
/// The initial message names a prekey this device does not hold: never issued, expired, or a one-time prekey
/// already consumed by an earlier initial message (PQXDH 3.4: a one-time prekey is used once).
/// </summary>
public sealed class PrekeyUnavailableException(string kind, uint prekeyId, string reason)
    : EnigmException("prekey-unavailable", $"The {kind} {prekeyId} is not available: {reason}.")
{
    public string Kind { get; } = kind;

    public uint PrekeyId { get; } = prekeyId;
}

/// <summary>An initial message that uses only the last-resort KEM prekey was already accepted once (replay, PQXDH 4.3).</summary>
public sealed class SetupReplayException(string message)
    : EnigmException("setup-replay", message);

/// <summary>The identity key in an initial message is not the one the sender's verified certificate names.</summary>
public sealed class IdentityMismatchException(string message)
    : EnigmException("identity-mismatch", message);

/// <summary>A sealed-sender layer that does not open for this device: addressed to another device, or tampered (AEAD failure).</summary>
public sealed class SealedSenderException(string message, Exception? inner = null)
    : EnigmException("sealed-sender-invalid", message, inner);

/// <summary>A message to seal or wrap is over the envelope's size limit (the receiving side reports a MalformedInputException).</summary>
public sealed class MessageTooLargeException(int size, int limit)
    : EnigmException("message-too-large", $"The message of {size} bytes exceeds the {limit}-byte limit.")
{
    public int Size { get; } = size;

    public int Limit { get; } = limit;
}
