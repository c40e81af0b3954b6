using Enigm.Trust.Accounts;

namespace Enigm.Messaging.Sessions;

/// <summary>The peer device a session belongs to: libsignal's <c>ProtocolAddress</c>, (account, device).</summary>
public sealed record SessionAddress(AccountFingerprint Account, string DeviceId)
{
    /// <summary>The key under which <see cref="Ratchet.IRatchetSessionStore"/> keeps this address's session.</summary>
    public string StoreKey => $"{Account.Hex}/{DeviceId}";

    public override string ToString() => $"{Account.Hex[..16]}…/{DeviceId}";
}

/// <summary>What happened to the session while a message was encrypted or decrypted.</summary>
public enum SessionEvent
{
    /// <summary>The existing session was used.</summary>
    None,

    /// <summary>A first session with this device was set up (PQXDH).</summary>
    Established,

    /// <summary>A session that could not decrypt (or was replaced by the peer) was set up again with a fresh PQXDH.</summary>
    Reestablished,
}

/// <summary>What can be said about a session without its keys: its side, whether the initial message still travels, PQ epochs completed, skipped keys held.</summary>
public sealed record SessionInfo(bool IsInitiator, bool AwaitingAnswer, ulong PostQuantumEpochs, int SkippedKeys);

/// <summary>One outgoing message: the envelope for the relay, addressed to <paramref name="To"/>.</summary>
public sealed record EncryptedMessage(SessionAddress To, byte[] Envelope, SessionEvent Event);

/// <summary>One incoming message: who sent it (verified against its device log), the plaintext, and what happened to the session.</summary>
public sealed record DecryptedMessage(SessionAddress From, byte[] Plaintext, SessionEvent Event);

/// <summary>
/// Where an initiator gets a peer device's prekey bundle (the relay's directory in the next issue). The bytes are
/// untrusted: <see cref="SessionCipher"/> verifies them against the peer's verified device log.
/// </summary>
public interface IPrekeyDirectory
{
    /// <summary>The encoded bundle of the device, with at most one one-time prekey of each kind, each handed out once.</summary>
    byte[] FetchBundle(SessionAddress device);
}
