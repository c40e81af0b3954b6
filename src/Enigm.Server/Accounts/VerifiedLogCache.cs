using System.Collections.Concurrent;
using System.Security.Cryptography;
using Enigm.Trust.DeviceLog;

namespace Enigm.Server.Accounts;

/// <summary>
/// Verified device sets by SHA-256 of the encoded log: replaying a log verifies every composite signature in it, so the
/// relay does it once per log version, not once per token request. Only logs that verified are cached (a stored log
/// always verified when it was stored); bounded by clearing when full.
/// </summary>
public sealed class VerifiedLogCache
{
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, TrustedDeviceSet> _sets = new(StringComparer.Ordinal);

    /// <summary>
    /// The trusted set at the head of <paramref name="log"/> (a <c>DeviceLogFile</c>), reusing an earlier verification of
    /// the same bytes; a log that does not verify throws its typed error (see <see cref="DeviceLogVerifier.Verify"/>).
    /// </summary>
    public TrustedDeviceSet Verify(byte[] log)
    {
        var key = Key(log);
        if (_sets.TryGetValue(key, out var cached)) return cached;
        var trusted = DeviceLogVerifier.CheckFile(log).TrustedOrThrow();
        if (_sets.Count >= MaxEntries) _sets.Clear();
        _sets[key] = trusted;
        return trusted;
    }

    private static string Key(byte[] log) => Convert.ToHexStringLower(SHA256.HashData(log));
}
