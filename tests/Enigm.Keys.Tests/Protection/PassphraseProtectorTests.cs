using System.Formats.Cbor;
using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Errors;
using Enigm.Keys.Protection;
using Xunit;

namespace Enigm.Keys.Tests.Protection;

/// <summary>
/// Uses <see cref="FastArgon2id"/> (libsodium's minimum costs: 8 KiB, one pass) so the suite stays
/// fast; <see cref="Default_settings_create_and_unlock_a_store"/> is the one test with the real default.
/// </summary>
public sealed class PassphraseProtectorTests
{
    // New passphrases must be strong enough for the (tiny) test costs; a shared strong prefix keeps the
    // short names below readable while differing passphrases still differ. Empty stays empty.
    private static Func<SecretBytes> Passphrase(string text) =>
        () => SecretBytes.CopyFrom(System.Text.Encoding.UTF8.GetBytes(text.Length == 0 ? "" : "unit-test passphrase, long enough: " + text));

    private static PassphraseProtector Protector(string text, Argon2idSettings? settings = null) =>
        new(Passphrase(text), settings ?? FastArgon2id.Settings);

    [Fact]
    public void Unlock_recovers_the_kek_made_by_create()
    {
        var (descriptor, kek) = Protector("correct horse").Create();
        using (kek)
        {
            using var unlocked = Protector("correct horse").Unlock(descriptor);

            Assert.Equal("passphrase", descriptor.Kind);
            Assert.Equal(32, kek.Length);
            Assert.True(unlocked.FixedTimeEquals(kek.Span));
        }
    }

    [Fact]
    public void Wrong_passphrase_is_reported_as_such()
    {
        var (descriptor, kek) = Protector("correct horse").Create();
        kek.Dispose();

        Assert.Throws<WrongPassphraseException>(() => Protector("correct hors").Unlock(descriptor));
        Assert.Throws<WrongPassphraseException>(() => Protector("").Unlock(descriptor));
    }

    [Fact]
    public void Edited_costs_are_caught_by_the_check_value()
    {
        var (descriptor, kek) = Protector("pw").Create();
        kek.Dispose();
        var stored = PassphraseDescriptor.Decode(descriptor.Parameters);
        var edited = descriptor with { Parameters = (stored with { Settings = stored.Settings with { Iterations = 2 } }).Encode() };

        Assert.Throws<WrongPassphraseException>(() => Protector("pw").Unlock(edited));
    }

    [Fact]
    public void Different_salts_give_different_keks_for_the_same_passphrase()
    {
        var (first, firstKek) = Protector("same").Create();
        var (second, secondKek) = Protector("same").Create();
        using (firstKek)
        using (secondKek)
        {
            var firstSalt = PassphraseDescriptor.Decode(first.Parameters).Salt;
            var secondSalt = PassphraseDescriptor.Decode(second.Parameters).Salt;

            Assert.NotEqual(firstSalt, secondSalt);
            Assert.False(firstKek.FixedTimeEquals(secondKek.Span));

            // The KEK of one store is not what the passphrase derives under another store's salt.
            using var passphrase = Passphrase("same")();
            using var crossDerived = Argon2idKdf.Derive(passphrase, secondSalt, FastArgon2id.Settings);
            Assert.False(firstKek.FixedTimeEquals(crossDerived.Span));
            Assert.True(secondKek.FixedTimeEquals(crossDerived.Span));
        }
    }

    [Fact]
    public void Different_costs_give_different_keks_for_the_same_salt()
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        using var passphrase = Passphrase("same")();

        using var test = Argon2idKdf.Derive(passphrase, salt, FastArgon2id.Settings);
        using var morePasses = Argon2idKdf.Derive(passphrase, salt, FastArgon2id.Settings with { Iterations = 2 });
        using var moreMemory = Argon2idKdf.Derive(passphrase, salt, FastArgon2id.Settings with { MemoryKiB = 16 });
        using var again = Argon2idKdf.Derive(passphrase, salt, FastArgon2id.Settings);

        Assert.True(test.FixedTimeEquals(again.Span));
        Assert.False(test.FixedTimeEquals(morePasses.Span));
        Assert.False(test.FixedTimeEquals(moreMemory.Span));
    }

    [Fact]
    public void Default_settings_create_and_unlock_a_store()
    {
        var protector = new PassphraseProtector(Passphrase("default costs"));
        Assert.Equal(Argon2idSettings.Moderate, protector.Settings);

        var (descriptor, kek) = protector.Create();
        using (kek)
        {
            Assert.Equal(new Argon2idSettings(256 * 1024, 3, 1), PassphraseProtector.SettingsOf(descriptor));
            using var unlocked = new PassphraseProtector(Passphrase("default costs")).Unlock(descriptor);
            Assert.True(unlocked.FixedTimeEquals(kek.Span));
        }
    }

    [Fact]
    public void Needs_upgrade_when_stored_costs_are_below_the_target()
    {
        var (descriptor, kek) = Protector("pw").Create();
        kek.Dispose();

        Assert.True(PassphraseProtector.NeedsUpgrade(descriptor, Argon2idSettings.Moderate));
        Assert.True(PassphraseProtector.NeedsUpgrade(descriptor, FastArgon2id.Settings with { Iterations = 2 }));
        Assert.False(PassphraseProtector.NeedsUpgrade(descriptor, FastArgon2id.Settings));
    }

    [Fact]
    public void Presets_follow_rfc_9106_with_one_lane()
    {
        Assert.Equal(new Argon2idSettings(64 * 1024, 3, 1), Argon2idSettings.Interactive);
        Assert.Equal(new Argon2idSettings(2 * 1024 * 1024, 1, 1), Argon2idSettings.Sensitive);
        Assert.Equal(Argon2idSettings.Moderate, Argon2idSettings.Default);
        foreach (var preset in new[] { Argon2idSettings.Interactive, Argon2idSettings.Moderate, Argon2idSettings.Sensitive, FastArgon2id.Settings })
            Assert.True(preset.IsValid(out _));
        Assert.False((Argon2idSettings.Moderate with { Parallelism = 4 }).IsValid(out var reason));
        Assert.Contains("one lane", reason, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PassphraseProtector(Passphrase("pw"), Argon2idSettings.Moderate with { Parallelism = 4 }));
    }

    [Fact]
    public void No_shipped_preset_is_weaker_than_rfc_9106s_second_option()
    {
        // Every preset the library offers (public static Argon2idSettings) spends at least RFC 9106 section
        // 4's 64 MiB: a weak preset for tests would be one call away from a real store.
        var presets = typeof(Argon2idSettings)
            .GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(Argon2idSettings))
            .ToDictionary(p => p.Name, p => (Argon2idSettings)p.GetValue(null)!);

        Assert.Equal(["Default", "Interactive", "Moderate", "Sensitive"], presets.Keys.Order());
        Assert.All(presets.Values, preset => Assert.True(preset.MemoryKiB >= 64 * 1024, $"{preset} is below 64 MiB"));
    }

    [Fact]
    public void The_minimum_costs_are_libsodiums_and_nothing_below_them_is_valid()
    {
        Assert.True(FastArgon2id.Settings.IsValid(out _));
        Assert.False((FastArgon2id.Settings with { MemoryKiB = Argon2idSettings.MinMemoryKiB - 1 }).IsValid(out var memory));
        Assert.Contains("memory must be 8..", memory, StringComparison.Ordinal);
        Assert.False((FastArgon2id.Settings with { Iterations = 0 }).IsValid(out var passes));
        Assert.Contains("iterations must be 1..", passes, StringComparison.Ordinal);
        // Cheap costs demand a stronger passphrase: the minimum needs more estimated bits than any preset.
        Assert.True(PassphraseStrength.RequiredBits(FastArgon2id.Settings) > PassphraseStrength.RequiredBits(Argon2idSettings.Interactive));
    }

    [Fact]
    public void The_passphrase_buffer_is_zeroed_after_use()
    {
        SecretBytes? handedOut = null;
        var protector = new PassphraseProtector(() => handedOut = SecretBytes.CopyFrom("a passphrase strong enough for the test costs"u8), FastArgon2id.Settings);

        protector.Create().Kek.Dispose();

        Assert.NotNull(handedOut);
        Assert.Throws<ObjectDisposedException>(() => handedOut.Span.Length);
    }

    [Fact]
    public void Refuses_an_empty_passphrase_for_a_new_store()
    {
        Assert.Throws<WeakPassphraseException>(() => Protector("").Create());
    }

    public static TheoryData<string, byte[]> CorruptParameters()
    {
        var (descriptor, kek) = Protector("pw").Create();
        kek.Dispose();
        var valid = descriptor.Parameters;
        var stored = PassphraseDescriptor.Decode(valid);
        return new()
        {
            { "empty", [] },
            { "junk", [0xde, 0xad, 0xbe, 0xef] },
            { "truncated", valid[..^1] },
            { "trailing byte", [.. valid, 0] },
            { "oversized", new byte[PassphraseDescriptor.MaxEncodedSize + 1] },
            { "short salt", (stored with { Salt = new byte[15] }).Encode() },
            { "long check", (stored with { Check = new byte[PassphraseDescriptor.CheckSize + 1] }).Encode() },
            { "four lanes", (stored with { Settings = stored.Settings with { Parallelism = 4 } }).Encode() },
            { "memory over limit", (stored with { Settings = stored.Settings with { MemoryKiB = Argon2idSettings.MaxMemoryKiB + 1 } }).Encode() },
            { "zero passes", (stored with { Settings = stored.Settings with { Iterations = 0 } }).Encode() },
            { "version 2", Reversioned(valid, 2) },
            { "not canonical", NonCanonical(stored) },
        };
    }

    [Theory]
    [MemberData(nameof(CorruptParameters))]
    public void Rejects_a_corrupt_descriptor(string what, byte[] parameters)
    {
        var descriptor = new ProtectorDescriptor("passphrase", parameters);

        Assert.Throws<MalformedInputException>(() => Protector("pw").Unlock(descriptor));
        Assert.Throws<MalformedInputException>(() => PassphraseProtector.NeedsUpgrade(descriptor, FastArgon2id.Settings));
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Fact]
    public void Rejects_a_descriptor_of_another_kind()
    {
        var (descriptor, kek) = Protector("pw").Create();
        kek.Dispose();

        Assert.Throws<MalformedInputException>(() => Protector("pw").Unlock(descriptor with { Kind = "tpm" }));
    }

    private static byte[] Reversioned(byte[] valid, byte version)
    {
        // [version, …]: the version is the byte after the array header (a small unsigned integer).
        var copy = (byte[])valid.Clone();
        copy[1] = version;
        return copy;
    }

    private static byte[] NonCanonical(PassphraseDescriptor stored)
    {
        // The same content with the version as a two-byte integer (RFC 8949 4.2.1 requires the shortest form).
        var writer = new CborWriter(CborConformanceMode.Lax);
        writer.WriteStartArray(4);
        writer.WriteEncodedValue(new byte[] { 0x19, 0x00, 0x01 });
        writer.WriteStartArray(3);
        writer.WriteInt32(stored.Settings.MemoryKiB);
        writer.WriteInt32(stored.Settings.Iterations);
        writer.WriteInt32(stored.Settings.Parallelism);
        writer.WriteEndArray();
        writer.WriteByteString(stored.Salt);
        writer.WriteByteString(stored.Check);
        writer.WriteEndArray();
        return writer.Encode();
    }
}
