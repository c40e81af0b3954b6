using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Enigm.Server.Console;

/// <summary>
/// Signed-in admin sessions of the organisation console: signing in with the admin credential (compared in constant
/// time, as the admin API does) yields a random session id for an HttpOnly, SameSite=Strict cookie and a synchronizer
/// CSRF token for the forms (OWASP CSRF Prevention Cheat Sheet). Only SHA-256 digests of session ids are kept; at most
/// <see cref="MaxSessions"/> live at once (the oldest goes), each for <see cref="Lifetime"/>.
/// </summary>
public sealed class ConsoleSessions(byte[] credential, TimeProvider time)
{
    public const string CookieName = "enigm-console";
    public const int MaxSessions = 32;
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    private readonly ConcurrentDictionary<string, (string Csrf, DateTimeOffset Expires)> _sessions = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="presented"/> is the admin credential.</summary>
    public bool IsCredential(string? presented)
    {
        var bytes = Encoding.UTF8.GetBytes(presented ?? "");
        try
        {
            return CryptographicOperations.FixedTimeEquals(SHA256.HashData(bytes), SHA256.HashData(credential));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>A new session: its id (the cookie value, never stored) and CSRF token.</summary>
    public (string Session, string Csrf) Start()
    {
        var now = time.GetUtcNow();
        foreach (var (key, value) in _sessions)
            if (value.Expires <= now) _sessions.TryRemove(key, out _);
        while (_sessions.Count >= MaxSessions)
        {
            var oldest = _sessions.MinBy(s => s.Value.Expires).Key;
            _sessions.TryRemove(oldest, out _);
        }

        var session = NewSecret();
        var csrf = NewSecret();
        _sessions[Digest(session)] = (csrf, now + Lifetime);
        return (session, csrf);
    }

    /// <summary>The CSRF token of a live session, or null when <paramref name="session"/> is not one.</summary>
    public string? CsrfOf(string? session)
    {
        if (string.IsNullOrEmpty(session) || session.Length > 128) return null;
        return _sessions.TryGetValue(Digest(session), out var live) && live.Expires > time.GetUtcNow() ? live.Csrf : null;
    }

    public void End(string? session)
    {
        if (!string.IsNullOrEmpty(session) && session.Length <= 128) _sessions.TryRemove(Digest(session), out _);
    }

    public static bool SameToken(string? presented, string expected) =>
        !string.IsNullOrEmpty(presented) && presented.Length <= 128
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.ASCII.GetBytes(presented)), SHA256.HashData(Encoding.ASCII.GetBytes(expected)));

    // The dictionary key: hex of SHA-256, so a lookup by digest does not compare the secret itself byte by byte.
    private static string Digest(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(value)));

    private static string NewSecret()
    {
        var bytes = RandomNumberGenerator.GetBytes(32);
        var text = Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        CryptographicOperations.ZeroMemory(bytes);
        return text;
    }
}
