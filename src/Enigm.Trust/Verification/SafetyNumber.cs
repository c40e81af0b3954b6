using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Trust.Accounts;

namespace Enigm.Trust.Verification;

/// <summary>
/// The 60-digit safety number two accounts compare (12 groups of 5 digits). Identical on both sides:
/// it does not depend on which account is "local". Public data.
/// </summary>
public sealed record SafetyNumber
{
    public const int DigitCount = 60;

    public const int GroupCount = 12;

    internal SafetyNumber(string digits) => Digits = digits;

    /// <summary>The 60 digits without separators.</summary>
    public string Digits { get; }

    /// <summary>The 12 groups of 5 digits, in display order.</summary>
    public IReadOnlyList<string> Groups =>
        [.. Enumerable.Range(0, GroupCount).Select(i => Digits.Substring(i * 5, 5))];

    /// <summary>Display form: groups separated by single spaces.</summary>
    public override string ToString() => string.Join(' ', Groups);
}

/// <summary>
/// Safety numbers in the manner of Signal's numeric fingerprints (libsignal
/// <c>NumericFingerprintGenerator</c>, version 0 design, "Safety number updates", Signal blog 2016):
/// each side's 30 digits come from 5200 iterations of SHA-512 over version ‖ key ‖ identifier, read as
/// six 5-byte chunks mod 100000; the two halves are sorted so both parties display the same number.
/// Enigm adaptation: the "key" is the <see cref="AccountFingerprint"/> (hash of the genesis device-log
/// entry, stable across device changes) and the "identifier" is a fixed Enigm label, because the
/// fingerprint already is the account's identity. See docs/trust-verification.md.
/// </summary>
public static class SafetyNumbers
{
    /// <summary>Signal's iteration count (libsignal uses 5200 for its displayable fingerprints).</summary>
    public const int Iterations = 5200;

    /// <summary>Enigm's safety-number version (big-endian u16 at the start of the hash input).</summary>
    public const ushort Version = 1;

    /// <summary>Stands in for Signal's stable identifier.</summary>
    internal static ReadOnlySpan<byte> Label => "enigm/safety-number/v1"u8;

    /// <summary>The safety number for a pair of accounts; argument order does not matter.</summary>
    public static SafetyNumber For(AccountFingerprint first, AccountFingerprint second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var a = HalfFor(first);
        var b = HalfFor(second);
        // Signal: the lexicographically smaller half comes first, so both sides agree.
        return new SafetyNumber(string.CompareOrdinal(a, b) <= 0 ? a + b : b + a);
    }

    /// <summary>The 30 digits contributed by one account.</summary>
    public static string HalfFor(AccountFingerprint fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        var hash = IteratedHash(fingerprint);
        var digits = new StringBuilder(30);
        for (var chunk = 0; chunk < 6; chunk++)
        {
            // Signal: a 5-byte big-endian chunk, mod 100000, zero-padded to 5 digits.
            ulong value = 0;
            for (var i = 0; i < 5; i++) value = (value << 8) | hash[(chunk * 5) + i];
            digits.Append((value % 100_000).ToString("D5", CultureInfo.InvariantCulture));
        }

        return digits.ToString();
    }

    /// <summary>hash₀ = version ‖ fingerprint ‖ label; hashᵢ = SHA-512(hashᵢ₋₁ ‖ fingerprint), 5200 times.</summary>
    private static byte[] IteratedHash(AccountFingerprint fingerprint)
    {
        var sha512 = CryptoProviders.Default.Hash(HashAlgorithm.Sha512);
        var key = fingerprint.Bytes;
        var first = new byte[2 + key.Length + Label.Length];
        BinaryPrimitives.WriteUInt16BigEndian(first, Version);
        key.CopyTo(first.AsSpan(2));
        Label.CopyTo(first.AsSpan(2 + key.Length));

        var input = new byte[HashAlgorithm.Sha512.Size + key.Length];
        key.CopyTo(input.AsSpan(HashAlgorithm.Sha512.Size));
        var hash = new byte[HashAlgorithm.Sha512.Size];
        sha512.Hash([.. first, .. key], hash);
        for (var i = 1; i < Iterations; i++)
        {
            hash.CopyTo(input, 0);
            sha512.Hash(input, hash);
        }

        return hash;
    }
}
