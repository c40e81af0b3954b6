using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Errors;

namespace Enigm.Keys.Protection;

/// <summary>
/// Refuses a new passphrase that is too weak for the Argon2id costs guarding it (docs/keys.md,
/// "Passphrase strength"). An offline attacker pays m·t Argon2id block operations per guess
/// (RFC 9106 3.1), so a passphrase is accepted when its estimated entropy plus log2(m·t) reaches
/// <see cref="TargetWorkBits"/>: cheaper presets need stronger passphrases. The estimate is a simple,
/// generous one (character classes and repeats, no dictionary): it stops empty, short and repetitive
/// passphrases, not every guessable one.
/// </summary>
public static class PassphraseStrength
{
    /// <summary>Work, in bits of Argon2id block operations, a guessing attack must face on average or better.</summary>
    public const double TargetWorkBits = 80;

    /// <summary>Longest passphrase accepted, in UTF-8 bytes.</summary>
    public const int MaxBytes = 1024;

    /// <summary>The estimated entropy a passphrase needs under <paramref name="settings"/>.</summary>
    public static double RequiredBits(Argon2idSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Math.Max(0, TargetWorkBits - Math.Log2((double)settings.MemoryKiB * settings.Iterations));
    }

    /// <summary>
    /// A rough entropy estimate: each distinct character is worth log2 of the size of the character
    /// classes used (lowercase 26, uppercase 26, digits 10, ASCII symbols and space 33, anything else
    /// 100), each repeated character one bit. Invalid UTF-8 counts as zero.
    /// </summary>
    public static double EstimateBits(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxBytes) return 0;
        // The characters are secret: keep them in a pinned buffer and zero it afterwards.
        var runes = GC.AllocateArray<int>(utf8.Length, pinned: true);
        try
        {
            var count = 0;
            int pool = 0, lower = 0, upper = 0, digit = 0, symbol = 0, other = 0;
            for (var rest = utf8; !rest.IsEmpty;)
            {
                if (Rune.DecodeFromUtf8(rest, out var rune, out var consumed) != System.Buffers.OperationStatus.Done) return 0;
                rest = rest[consumed..];
                runes[count++] = rune.Value;
                if (rune.Value is >= 'a' and <= 'z') lower = 26;
                else if (rune.Value is >= 'A' and <= 'Z') upper = 26;
                else if (rune.Value is >= '0' and <= '9') digit = 10;
                else if (rune.Value is >= ' ' and <= '~') symbol = 33;
                else other = 100;
            }

            pool = lower + upper + digit + symbol + other;
            if (count == 0) return 0;
            var used = runes.AsSpan(0, count);
            used.Sort();
            var distinct = 1;
            for (var i = 1; i < count; i++)
            {
                if (used[i] != used[i - 1]) distinct++;
            }

            return (distinct * Math.Log2(pool)) + (count - distinct);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(runes.AsSpan()));
        }
    }

    /// <summary>Throws <see cref="WeakPassphraseException"/> when <paramref name="passphrase"/> is too weak for <paramref name="settings"/>.</summary>
    public static void Require(SecretBytes passphrase, Argon2idSettings settings)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        if (passphrase.Length == 0) throw new WeakPassphraseException("the passphrase is empty");
        if (passphrase.Length > MaxBytes) throw new WeakPassphraseException($"the passphrase is longer than {MaxBytes} bytes");
        var estimate = EstimateBits(passphrase.Span);
        var required = RequiredBits(settings);
        if (estimate < required)
        {
            throw new WeakPassphraseException(
                $"estimated {estimate:F0} bits, {settings} needs at least {Math.Ceiling(required):F0} " +
                "(use a longer passphrase, e.g. five or more random words, or a costlier --argon2 preset)");
        }
    }
}
