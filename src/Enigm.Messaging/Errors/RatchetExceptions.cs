namespace Enigm.Messaging.Errors;

/// <summary>
/// The message key for this message was already used (a duplicate or replay), or the message is older
/// than what the session still keeps (its skipped key was evicted or its chain is gone).
/// </summary>
public sealed class RatchetReplayException(string message)
    : EnigmException("ratchet-replay", message);

/// <summary>
/// The message claims a position further ahead than the session will skip to (Double Ratchet §3.5
/// MAX_SKIP). The session is unchanged; a device that fell this far behind needs a fresh session setup.
/// </summary>
public sealed class RatchetTooFarAheadException(string message)
    : EnigmException("ratchet-too-far-ahead", message);

/// <summary>
/// The message does not authenticate under the session's keys (AEAD tag, a post-quantum item's
/// authenticator, or a header that names state this session cannot have). The session is unchanged.
/// </summary>
public sealed class RatchetAuthenticationException(string message, Exception? inner = null)
    : EnigmException("ratchet-authentication", message, inner);

/// <summary>The responder cannot send before it has received the initiator's first message (§3.3).</summary>
public sealed class RatchetNotReadyException(string message)
    : EnigmException("ratchet-not-ready", message);
