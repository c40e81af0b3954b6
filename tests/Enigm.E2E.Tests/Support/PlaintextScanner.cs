using System.Text;

namespace Enigm.E2E.Tests.Support;

/// <summary>
/// Looks for secrets in bytes the server holds or emits. Each secret is searched as raw bytes, as UTF-16
/// and as base64 at all three alignments (JSON carries bytes as base64, so a plaintext relayed unencrypted
/// inside a JSON field would show up that way), and as lowercase hex.
/// </summary>
internal sealed class PlaintextScanner
{
    private readonly List<(string Label, byte[] Pattern)> _patterns = [];

    public PlaintextScanner(IEnumerable<(string Label, byte[] Secret)> secrets)
    {
        foreach (var (label, secret) in secrets)
        {
            _patterns.Add((label, secret));
            _patterns.Add(($"{label} (UTF-16)", Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(secret))));
            _patterns.Add(($"{label} (hex)", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(secret.AsSpan(0, Math.Min(secret.Length, 64))))));
            foreach (var (shift, encoded) in Base64Forms(secret)) _patterns.Add(($"{label} (base64, shift {shift})", encoded));
        }
    }

    /// <summary>How many encoded forms are searched (for the test's own report).</summary>
    public int PatternCount => _patterns.Count;

    /// <summary>Every (haystack, secret form) pair that matched.</summary>
    public List<string> Find(string haystackName, ReadOnlySpan<byte> haystack)
    {
        var found = new List<string>();
        foreach (var (label, pattern) in _patterns)
        {
            if (pattern.Length >= 8 && haystack.IndexOf(pattern) >= 0) found.Add($"{label} in {haystackName}");
        }

        return found;
    }

    /// <summary>
    /// The base64 characters that encode <paramref name="secret"/> whatever its offset inside a larger
    /// encoded buffer: for each of the three alignments, the stretch of output fully determined by the secret.
    /// </summary>
    private static IEnumerable<(int Shift, byte[] Encoded)> Base64Forms(byte[] secret)
    {
        for (var shift = 0; shift < 3; shift++)
        {
            var padded = new byte[shift + secret.Length];
            secret.CopyTo(padded, shift);
            var text = Convert.ToBase64String(padded);
            // Characters touching the zero prefix or the unaligned tail depend on neighbouring bytes: drop them.
            var start = shift == 0 ? 0 : 4;
            var fullGroups = padded.Length / 3;
            var end = fullGroups * 4;
            if (end - start >= 12) yield return (shift, Encoding.ASCII.GetBytes(text[start..end]));
        }
    }
}
