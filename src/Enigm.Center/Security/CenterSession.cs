using System.Security.Cryptography;
using System.Text;

namespace Enigm.Center.Security;

/// <summary>
/// The page's one session: a one-time token (256 random bits, printed in the URL by <c>enigm center</c>) is exchanged
/// once for a session id in an HttpOnly, SameSite=Strict cookie whose name is bound to the device's home; every
/// state-changing request must carry the session's synchronizer CSRF token in a form field (OWASP CSRF Prevention
/// Cheat Sheet, "Synchronizer Token Pattern"). Only SHA-256 digests of the token and session id are kept, compared in
/// constant time; all three come from the OS CSPRNG.
/// </summary>
public sealed class CenterSession
{
    private readonly Lock _gate = new();
    private byte[]? _tokenDigest;
    private byte[]? _sessionDigest;

    public CenterSession(string home)
    {
        ArgumentException.ThrowIfNullOrEmpty(home);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(home));
        CookieName = "enigm-center-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..16];
        var token = NewSecret();
        OneTimeToken = token;
        _tokenDigest = Digest(token);
        CsrfToken = NewSecret();
    }

    /// <summary>The session cookie's name: cookies do not isolate ports, so two pages of two homes must not share one.</summary>
    public string CookieName { get; }

    /// <summary>The token for the URL; valid for one exchange.</summary>
    public string OneTimeToken { get; }

    /// <summary>The synchronizer token every form carries.</summary>
    public string CsrfToken { get; }

    /// <summary>True once the token was exchanged (a second exchange is refused).</summary>
    public bool Opened
    {
        get
        {
            lock (_gate) return _tokenDigest is null;
        }
    }

    /// <summary>Exchanges the one-time token for a new session id (the cookie value), or null when it is wrong or used.</summary>
    public string? Exchange(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 128) return null;
        lock (_gate)
        {
            if (_tokenDigest is null || !CryptographicOperations.FixedTimeEquals(Digest(presented), _tokenDigest)) return null;
            _tokenDigest = null;
            var session = NewSecret();
            _sessionDigest = Digest(session);
            return session;
        }
    }

    /// <summary>True when <paramref name="presented"/> is the live session id.</summary>
    public bool IsSession(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 128) return false;
        lock (_gate) return _sessionDigest is not null && CryptographicOperations.FixedTimeEquals(Digest(presented), _sessionDigest);
    }

    /// <summary>True when <paramref name="presented"/> is this session's CSRF token.</summary>
    public bool IsCsrfToken(string? presented) =>
        !string.IsNullOrEmpty(presented) && presented.Length <= 128
        && CryptographicOperations.FixedTimeEquals(Digest(presented), Digest(CsrfToken));

    private static byte[] Digest(string value) => SHA256.HashData(Encoding.ASCII.GetBytes(value));

    private static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes)
    {
        var text = Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        CryptographicOperations.ZeroMemory(bytes);
        return text;
    }
}
