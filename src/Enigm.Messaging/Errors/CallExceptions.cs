namespace Enigm.Messaging.Errors;

// Typed failures of SFrame media protection (RFC 9605) and of call setup (docs/calls.md). Each one maps to its
// own exit code (108–114) so a script can tell a tampered frame from a replayed one. No message here carries
// key material, plaintext or a counter's nonce.

/// <summary>
/// An SFrame header that cannot be read (RFC 9605 §4.3): the frame ends inside the header, a KID or CTR is
/// not in its shortest encoding, or the frame is over the size limit or too short to hold the suite's tag.
/// </summary>
public sealed class SFrameHeaderInvalidException(string message)
    : EnigmException("sframe-header-invalid", message);

/// <summary>
/// An SFrame frame fails authentication under the key its KID names (RFC 9605 §4.4.4): a modified header,
/// ciphertext or tag, or different metadata. The AEAD cannot tell these apart, and does not try to.
/// </summary>
public sealed class SFrameAuthenticationException(ulong kid, ulong counter)
    : EnigmException("sframe-authentication", $"The frame with KID {kid} and counter {counter} does not authenticate (tampered header, ciphertext or tag).")
{
    public ulong Kid { get; } = kid;

    public ulong Counter { get; } = counter;
}

/// <summary>
/// An authentic frame whose counter was already accepted, or is older than the receiver's replay window
/// (RFC 9605 §7.3 suggests a window; the check is RFC 4303 §3.4.3's sliding window).
/// </summary>
public sealed class SFrameReplayException(ulong kid, ulong counter, string reason)
    : EnigmException("sframe-replay", $"The frame with KID {kid} and counter {counter} is refused: {reason}.")
{
    public ulong Kid { get; } = kid;

    public ulong Counter { get; } = counter;
}

/// <summary>The frame's KID names no key this receiver holds, and no call participant it knows of.</summary>
public sealed class SFrameUnknownKeyException(ulong kid)
    : EnigmException("sframe-unknown-key", $"No key is known for KID {kid}.")
{
    public ulong Kid { get; } = kid;
}

/// <summary>
/// The frame's KID names a known participant but an epoch this receiver does not hold: a frame from before it
/// joined, from after it left, or from an epoch already retired (docs/calls.md, "Epochs").
/// </summary>
public sealed class CallEpochException(ulong kid, string message)
    : EnigmException("call-wrong-epoch", message)
{
    public ulong Kid { get; } = kid;
}

/// <summary>
/// A call setup message that does not fit the call: an answer to another offer, an offer addressed to another
/// device or sent by a device other than the one it names, or an unsupported cipher suite.
/// </summary>
public sealed class CallSetupException(string message, Exception? inner = null)
    : EnigmException("call-setup-refused", message, inner);

/// <summary>
/// A call message or operation that the call's state does not allow: a rekey not from the host or for an
/// epoch that is not newer, too many participants, a sender counter exhausted, an unknown participant.
/// </summary>
public sealed class CallStateException(string message)
    : EnigmException("call-state", message);
