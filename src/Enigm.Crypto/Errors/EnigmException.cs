namespace Enigm;

/// <summary>
/// Base of every failure any Enigm part (crypto, keys, trust, OTA) reports on purpose. Messages describe what happened and never
/// carry secret bytes. <see cref="Code"/> is a stable, machine-readable family name that the CLI maps
/// to an exit code.
/// </summary>
public abstract class EnigmException : Exception
{
    protected EnigmException(string code, string message, Exception? inner = null)
        : base(message, inner) => Code = code;

    /// <summary>Stable family name such as <c>malformed-input</c> or <c>signature-invalid</c>.</summary>
    public string Code { get; }
}
