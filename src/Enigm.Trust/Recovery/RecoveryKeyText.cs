using System.Security.Cryptography;
using System.Text;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Secrets;

namespace Enigm.Trust.Recovery;

/// <summary>
/// The printed form of a recovery key: <c>RK1-XXXX-XXXX-…-XXXX-CCCC</c>. "RK1" names the format; then the
/// 32-byte secret in RFC 4648 base32 (52 characters, the last 4 bits zero) as 13 groups of 4, then a check
/// group: the first 20 bits of SHA-256("enigm/recovery-key/v1/check" ‖ secret) in base32, so a mistyped
/// character is caught before the key is used. Reading ignores case, spaces and dashes, and takes 0, 1
/// and 8 for the letters O, I and B they are mistaken for (base32 has no such digits).
/// </summary>
public static class RecoveryKeyText
{
    public const string Prefix = "RK1";

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const int GroupLength = 4;
    private const int DataCharacters = 52;
    private const int CheckCharacters = 4;

    private static readonly byte[] CheckLabel = "enigm/recovery-key/v1/check"u8.ToArray();

    /// <summary>Largest input considered (a printed key is 3 + 56 characters plus separators).</summary>
    private const int MaxInputLength = 256;

    /// <summary>Formats a 32-byte secret. The result is the secret: handle it as such.</summary>
    public static string Format(ReadOnlySpan<byte> secret)
    {
        if (secret.Length != RecoveryKey.SecretLength) throw new ArgumentException($"A recovery secret is {RecoveryKey.SecretLength} bytes.", nameof(secret));
        var characters = Base32(secret, DataCharacters) + Check(secret);
        var text = new StringBuilder(Prefix);
        for (var i = 0; i < characters.Length; i += GroupLength)
            text.Append('-').Append(characters, i, GroupLength);
        return text.ToString();
    }

    /// <summary>Reads a printed key back to its secret, or throws <see cref="MalformedInputException"/> saying what is wrong.</summary>
    public static SecretBytes Parse(string printed)
    {
        ArgumentNullException.ThrowIfNull(printed);
        if (printed.Length > MaxInputLength) throw new MalformedInputException("Not a recovery key: the text is too long.");
        var compact = new string([.. printed.Where(c => c is not ('-' or ' ' or '\t')).Select(char.ToUpperInvariant)]);
        if (!compact.StartsWith(Prefix, StringComparison.Ordinal))
            throw new MalformedInputException($"Not a recovery key: it starts with \"{Prefix}-\".");
        var body = compact[Prefix.Length..].Replace('0', 'O').Replace('1', 'I').Replace('8', 'B');
        if (body.Length != DataCharacters + CheckCharacters)
            throw new MalformedInputException($"A recovery key has {DataCharacters + CheckCharacters} characters after \"{Prefix}\", not {body.Length}: a group is missing or doubled.");
        for (var i = 0; i < body.Length; i++)
        {
            if (!Alphabet.Contains(body[i], StringComparison.Ordinal))
                throw new MalformedInputException($"Recovery key character {i + 1} (group {(i / GroupLength) + 1}) is not a base32 letter or digit 2-7.");
        }

        var secret = new byte[RecoveryKey.SecretLength];
        try
        {
            if (!FromBase32(body.AsSpan(0, DataCharacters), secret))
                throw new MalformedInputException("Recovery key: the last data group is not one a printed key can have: a character is mistyped.");
            if (!CryptographicOperations.FixedTimeEquals(Ascii(Check(secret)), Ascii(body[DataCharacters..])))
                throw new MalformedInputException("Recovery key checksum does not match: a character is mistyped.");
            return SecretBytes.CopyFrom(secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    private static byte[] Ascii(string text) => System.Text.Encoding.ASCII.GetBytes(text);

    private static string Check(ReadOnlySpan<byte> secret)
    {
        var message = new byte[CheckLabel.Length + secret.Length];
        try
        {
            CheckLabel.CopyTo(message, 0);
            secret.CopyTo(message.AsSpan(CheckLabel.Length));
            return Base32(SHA256.HashData(message).AsSpan(0, 3), CheckCharacters);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(message);
        }
    }

    /// <summary>RFC 4648 section 6 base32 of the first <paramref name="characters"/>·5 bits of <paramref name="data"/> (zero-padded, no '=').</summary>
    private static string Base32(ReadOnlySpan<byte> data, int characters)
    {
        var output = new char[characters];
        for (var i = 0; i < characters; i++)
        {
            var value = 0;
            for (var b = 0; b < 5; b++)
            {
                var bit = (i * 5) + b;
                var set = bit / 8 < data.Length && (data[bit / 8] & (0x80 >> (bit % 8))) != 0;
                value = (value << 1) | (set ? 1 : 0);
            }

            output[i] = Alphabet[value];
        }

        return new string(output);
    }

    /// <summary>Decodes base32 into <paramref name="output"/>; false when a padding bit beyond the output is set.</summary>
    private static bool FromBase32(ReadOnlySpan<char> text, Span<byte> output)
    {
        output.Clear();
        var padding = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var value = Alphabet.IndexOf(text[i], StringComparison.Ordinal);
            for (var b = 0; b < 5; b++)
            {
                if ((value & (0x10 >> b)) == 0) continue;
                var bit = (i * 5) + b;
                if (bit / 8 < output.Length) output[bit / 8] |= (byte)(0x80 >> (bit % 8));
                else padding |= 1;
            }
        }

        return padding == 0;
    }
}
