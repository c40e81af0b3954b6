using Enigm.Keys.Protection;

namespace Enigm.Keys.Tests.Protection;

/// <summary>
/// libsodium's minimum Argon2id costs (8 KiB, one pass, one lane), so the tests that create or unlock
/// stores stay fast. Built here, in the tests, from the same lower bounds <see cref="Argon2idSettings.IsValid"/>
/// enforces: the shipped library offers no preset this weak (docs/keys.md, "Argon2id presets").
/// </summary>
internal static class FastArgon2id
{
    public static Argon2idSettings Settings { get; } = new(Argon2idSettings.MinMemoryKiB, 1, 1);
}
