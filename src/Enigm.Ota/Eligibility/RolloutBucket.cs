using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Enigm.Ota.Eligibility;

/// <summary>
/// The staged-rollout bucket of a device for one release:
/// <c>bucket = BigEndianUInt64(SHA-256(device id ‖ 0x00 ‖ target name ‖ 0x00 ‖ release version)[0..8]) mod 10000</c>
/// (strings in UTF-8). A device is in a rollout of <c>p</c> percent when <c>bucket &lt; p × 100</c>.
/// The bucket depends only on the device and the release, so it is the same on every run, and
/// raising the percentage only adds devices: one eligible at 20% stays eligible at 30%.
/// </summary>
public static class RolloutBucket
{
    public const int Buckets = 10_000;

    public static int Of(string deviceId, string targetName, string releaseVersion)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentNullException.ThrowIfNull(targetName);
        ArgumentNullException.ThrowIfNull(releaseVersion);
        var input = System.Text.Encoding.UTF8.GetBytes($"{deviceId}\0{targetName}\0{releaseVersion}");
        var digest = SHA256.HashData(input);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(digest) % Buckets);
    }

    /// <summary>True when <paramref name="bucket"/> falls inside a rollout of <paramref name="percent"/> (0–100).</summary>
    public static bool IsIn(int bucket, int percent) => bucket < percent * (Buckets / 100);
}
