using System.Security.Cryptography;
using Enigm.Crypto.Errors;

namespace Enigm.Messaging.Groups.Roster;

/// <summary>
/// A group's identity: 32 random bytes chosen by its creator and carried by every roster entry, sender-key
/// distribution and group message of the group, so none of them can be replayed into another group. Public data.
/// </summary>
public sealed record GroupId
{
    public const int Length = 32;

    private readonly byte[] _bytes;

    public GroupId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length) throw new MalformedInputException($"A group id is {Length} bytes, not {bytes.Length}.");
        _bytes = bytes.ToArray();
    }

    public ReadOnlySpan<byte> Bytes => _bytes;

    public string Hex => Convert.ToHexStringLower(_bytes);

    /// <summary>A fresh id from the OS CSPRNG.</summary>
    public static GroupId New() => new(RandomNumberGenerator.GetBytes(Length));

    public static GroupId FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length != Length * 2 || !hex.All(Uri.IsHexDigit))
            throw new MalformedInputException("A group id is 64 hexadecimal digits.");
        return new GroupId(Convert.FromHexString(hex));
    }

    public bool Equals(GroupId? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);

    public override string ToString() => Hex;
}
