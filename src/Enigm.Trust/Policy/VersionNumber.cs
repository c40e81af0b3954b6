using Enigm.Crypto.Errors;

namespace Enigm.Trust.Policy;

/// <summary>
/// Dotted numeric versions ("2.1.0", "13.2") as policies and posture statements carry them: 1-8 parts of 1-9 digits,
/// compared part by part with missing parts as zero ("2.1" equals "2.1.0"). The OTA rules use the same shape.
/// </summary>
public static class VersionNumber
{
    public const int MaxLength = 32;

    public static bool IsValid(string? text)
    {
        if (text is null || text.Length is 0 or > MaxLength) return false;
        var parts = text.Split('.');
        return parts.Length <= 8 && parts.All(p => p.Length is > 0 and <= 9 && p.All(char.IsAsciiDigit));
    }

    /// <summary>Negative, zero or positive as <paramref name="a"/> is below, equal to or above <paramref name="b"/>.</summary>
    public static int Compare(string a, string b)
    {
        var x = Parse(a);
        var y = Parse(b);
        for (var i = 0; i < Math.Max(x.Length, y.Length); i++)
        {
            var c = (i < x.Length ? x[i] : 0).CompareTo(i < y.Length ? y[i] : 0);
            if (c != 0) return c;
        }

        return 0;
    }

    private static int[] Parse(string text) =>
        IsValid(text)
            ? [.. text.Split('.').Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture))]
            : throw new MalformedInputException($"\"{Printable(text)}\" is not a dotted numeric version.");

    internal static string Printable(string? text) =>
        text is null ? "(none)" : new([.. text.Take(40).Select(c => c is >= ' ' and <= '~' ? c : '?')]);
}
