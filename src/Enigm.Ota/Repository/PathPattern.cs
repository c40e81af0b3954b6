using System.Text.RegularExpressions;

namespace Enigm.Ota.Repository;

/// <summary>
/// TUF 4.5 delegation "paths": shell-style patterns where <c>*</c> matches within one path segment
/// and <c>?</c> one character; a pattern matches a target path with the same number of segments.
/// </summary>
public static class PathPattern
{
    public static bool Matches(string pattern, string targetPath)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(targetPath);
        var patternSegments = pattern.Split('/');
        var pathSegments = targetPath.Split('/');
        if (patternSegments.Length != pathSegments.Length) return false;
        for (var i = 0; i < patternSegments.Length; i++)
        {
            var regex = "^" + Regex.Escape(patternSegments[i]).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$";
            if (!Regex.IsMatch(pathSegments[i], regex, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))) return false;
        }

        return true;
    }
}
