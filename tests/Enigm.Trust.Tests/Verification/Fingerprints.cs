using Enigm.Trust.Accounts;

namespace Enigm.Trust.Tests.Verification;

/// <summary>Fixed account fingerprints for the tests.</summary>
internal static class Fingerprints
{
    public static AccountFingerprint Of(byte fill) => new(Enumerable.Repeat(fill, AccountFingerprint.Length).ToArray());

    public static AccountFingerprint Alice { get; } = Of(0xA1);

    public static AccountFingerprint Bob { get; } = Of(0xB0);

    public static AccountFingerprint Mallory { get; } = Of(0x66);
}
