using System.Security.Cryptography;
using Enigm.Ota.Metadata;

namespace Enigm.Ota.Client;

/// <summary>
/// Whether a delegated role is trusted for a target path (TUF 4.5 "paths" and
/// "path_hash_prefixes", 5.6.7.2). A path pattern matches segment by segment: pattern and path
/// must have the same number of '/'-separated segments, and each segment matches shell-style
/// (fnmatch): <c>*</c> any run of characters, <c>?</c> one character, <c>[abc]</c> / <c>[!abc]</c>
/// a set. So <c>*</c> never crosses a '/'.
/// </summary>
public static class DelegationMatcher
{
    public static bool IsTrustedFor(DelegatedRole role, string targetPath)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(targetPath);
        if (role.PathHashPrefixes is { } prefixes)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(targetPath)));
            return prefixes.Any(p => hash.StartsWith(p, StringComparison.Ordinal));
        }

        return role.Paths is { } paths && paths.Any(p => PathMatches(p, targetPath));
    }

    public static bool PathMatches(string pattern, string path)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(path);
        var patternParts = pattern.Split('/');
        var pathParts = path.Split('/');
        if (patternParts.Length != pathParts.Length) return false;
        for (var i = 0; i < pathParts.Length; i++)
            if (!SegmentMatches(patternParts[i], pathParts[i])) return false;
        return true;
    }

    /// <summary>fnmatch of one segment, iterative with single-star backtracking (linear-ish, no regex).</summary>
    private static bool SegmentMatches(string pattern, string text)
    {
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starT = t;
                continue;
            }

            if (p < pattern.Length && MatchOne(pattern, ref p, text[t]))
            {
                t++;
                continue;
            }

            if (starP < 0) return false;
            p = starP + 1;
            t = ++starT;
        }

        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    /// <summary>Matches one character against the pattern element at <paramref name="p"/>, advancing past it.</summary>
    private static bool MatchOne(string pattern, ref int p, char c)
    {
        var element = pattern[p];
        if (element == '?')
        {
            p++;
            return true;
        }

        if (element == '[')
        {
            var close = pattern.IndexOf(']', p + 2);
            if (close > 0)
            {
                var negate = pattern[p + 1] == '!';
                var set = pattern.AsSpan((negate ? p + 2 : p + 1)..close);
                var inSet = false;
                for (var i = 0; i < set.Length; i++)
                {
                    if (i + 2 < set.Length && set[i + 1] == '-')
                    {
                        inSet |= c >= set[i] && c <= set[i + 2];
                        i += 2;
                    }
                    else
                    {
                        inSet |= set[i] == c;
                    }
                }

                if (inSet == negate) return false;
                p = close + 1;
                return true;
            }
        }

        if (element != c) return false;
        p++;
        return true;
    }
}
