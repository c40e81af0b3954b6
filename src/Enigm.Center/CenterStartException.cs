namespace Enigm.Center;

/// <summary>The page cannot be served: the loopback port is taken or not allowed.</summary>
public sealed class CenterStartException(string message, Exception? inner = null)
    : EnigmException("center-start", message, inner);
