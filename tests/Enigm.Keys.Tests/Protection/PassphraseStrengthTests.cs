using Enigm.Crypto.Secrets;
using Enigm.Keys.Errors;
using Enigm.Keys.Protection;
using Xunit;

namespace Enigm.Keys.Tests.Protection;

public sealed class PassphraseStrengthTests
{
    private static PassphraseProtector Protector(string passphrase, Argon2idSettings settings, CancellationToken cancellation = default) =>
        new(() => SecretBytes.CopyFrom(System.Text.Encoding.UTF8.GetBytes(passphrase)), settings, cancellation);

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("password")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Refuses_empty_short_and_repetitive_passphrases_for_every_preset(string passphrase)
    {
        foreach (var preset in new[] { Argon2idSettings.Interactive, Argon2idSettings.Moderate, Argon2idSettings.Sensitive })
            Assert.Throws<WeakPassphraseException>(() => Protector(passphrase, preset).Create());
    }

    [Fact]
    public void Accepts_a_long_passphrase_and_says_what_a_preset_needs()
    {
        Assert.True(PassphraseStrength.EstimateBits("correct horse battery staple"u8) >= PassphraseStrength.RequiredBits(Argon2idSettings.Interactive));
        // Cheaper costs need a stronger passphrase (RFC 9106 3.1: each guess costs m·t block operations).
        Assert.True(PassphraseStrength.RequiredBits(Argon2idSettings.Interactive) > PassphraseStrength.RequiredBits(Argon2idSettings.Moderate));
        Assert.True(PassphraseStrength.RequiredBits(Argon2idSettings.Moderate) > PassphraseStrength.RequiredBits(Argon2idSettings.Sensitive));
        var e = Assert.Throws<WeakPassphraseException>(() => Protector("Tr0ub4dor", Argon2idSettings.Moderate).Create());
        Assert.Contains("needs at least", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_counts_as_no_strength()
    {
        Assert.Equal(0, PassphraseStrength.EstimateBits([0xff, 0xfe, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49]));
    }

    [Fact]
    public void Cancellation_stops_waiting_for_argon2id_at_once()
    {
        using var cancellation = new CancellationTokenSource();
        // Far more work than the wait below allows: 64 MiB, 200 passes.
        var protector = Protector("correct horse battery staple", new Argon2idSettings(64 * 1024, 200, 1), cancellation.Token);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Assert.ThrowsAny<OperationCanceledException>(() => protector.Create());

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"cancellation took {clock.Elapsed}");
    }
}
