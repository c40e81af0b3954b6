namespace Enigm.Messaging.Errors;

/// <summary>
/// A ratchet message arrived from a device this side has no session with (state lost, or the peer's session was
/// set up with another device). The session is marked for re-establishment: the next message to that device
/// starts a fresh PQXDH setup, which the peer accepts in place of its old session.
/// </summary>
public sealed class SessionNotFoundException(string address)
    : EnigmException("session-not-found", $"There is no session with device {address}; the next message to it sets up a new one.")
{
    public string Address { get; } = address;
}
