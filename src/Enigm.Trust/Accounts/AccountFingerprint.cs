using Enigm.Crypto.Errors;

namespace Enigm.Trust.Accounts;

/// <summary>
/// An account's stable identity: SHA-256 of its genesis device-log entry (DESIGN.md "Device-bound
/// trust"), so adding, rotating or revoking devices never changes it. Public data, compared as bytes.
/// </summary>
public sealed record AccountFingerprint
{
    public const int Length = 32;

    private readonly byte[] _bytes;

    public AccountFingerprint(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length) throw new MalformedInputException($"An account fingerprint is {Length} bytes, not {bytes.Length}.");
        _bytes = bytes.ToArray();
    }

    public ReadOnlySpan<byte> Bytes => _bytes;

    public string Hex => Convert.ToHexStringLower(_bytes);

    public static AccountFingerprint FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length != Length * 2 || !hex.All(Uri.IsHexDigit))
            throw new MalformedInputException("An account fingerprint is 64 hexadecimal digits.");
        return new AccountFingerprint(Convert.FromHexString(hex));
    }

    public bool Equals(AccountFingerprint? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);

    public override string ToString() => Hex;
}
