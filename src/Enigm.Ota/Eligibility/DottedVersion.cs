using System.Globalization;
using Enigm.Crypto.Errors;

namespace Enigm.Ota.Eligibility;

/// <summary>
/// Dotted numeric versions (<c>2.10.0</c>, <c>13.2</c>): 1–16 components of 1–9 digits each,
/// compared numerically component by component, a missing component counting as 0 (so 2.0 = 2.0.0
/// and 2.10 &gt; 2.9).
/// </summary>
public static class DottedVersion
{
    public static bool TryParse(string? text, out int[] components)
    {
        components = [];
        if (string.IsNullOrEmpty(text) || text.Length > 200) return false;
        var parts = text.Split('.');
        if (parts.Length > 16) return false;
        var result = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Length is 0 or > 9 || !part.All(char.IsAsciiDigit)) return false;
            result[i] = int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture);
        }

        components = result;
        return true;
    }

    /// <summary>Parses or throws <see cref="MalformedInputException"/> naming <paramref name="what"/>.</summary>
    public static int[] Parse(string text, string what) =>
        TryParse(text, out var components) ? components : throw new MalformedInputException($"{what} \"{text}\" is not a dotted numeric version.");

    /// <summary>Negative, zero or positive as <paramref name="a"/> is below, equal to or above <paramref name="b"/>.</summary>
    public static int Compare(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        for (var i = 0; i < Math.Max(a.Count, b.Count); i++)
        {
            var x = i < a.Count ? a[i] : 0;
            var y = i < b.Count ? b[i] : 0;
            if (x != y) return x.CompareTo(y);
        }

        return 0;
    }

    public static int Compare(string a, string b) => Compare(Parse(a, "Version"), Parse(b, "Version"));
}
