using Enigm.Crypto.Errors;

namespace Enigm.Keys.Records;

/// <summary>
/// A protected record failed authentication: edited, truncated, moved to another name or copied from another
/// store, or the store's KEK is not the one it was sealed under. The record is not returned and nothing is changed.
/// </summary>
public sealed class RecordIntegrityException(string name, string detail)
    : EnigmException("record-integrity", $"Protected record '{name}' failed its integrity check: {detail}.")
{
    public string Name { get; } = name;
}
