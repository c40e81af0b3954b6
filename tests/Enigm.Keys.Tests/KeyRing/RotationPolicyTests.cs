using Enigm.Keys.Errors;
using Enigm.Keys.Model;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Enigm.Keys.Tests.KeyRing;

public sealed class RotationPolicyTests : IDisposable
{
    private readonly TestStore _store = new();

    private Enigm.Keys.KeyRing Ring => _store.Ring;

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Defaults_follow_the_issue_signed_prekeys_weekly_device_keys_yearly()
    {
        Assert.Equal(TimeSpan.FromDays(7), Ring.Rotation.For(KeyPurpose.SignedPrekey).Cryptoperiod);
        Assert.Equal(TimeSpan.FromDays(365), Ring.Rotation.For(KeyPurpose.DeviceSigning).Cryptoperiod);
    }

    [Fact]
    public void A_changed_rule_applies_to_new_keys_persists_and_is_audited()
    {
        Ring.SetRotationRule(KeyPurpose.ReleaseSigning, new RotationRule(TimeSpan.FromDays(30), TimeSpan.FromDays(3)));
        var key = Ring.Generate(KeyPurpose.ReleaseSigning);
        Assert.Equal(_store.Clock.Now + TimeSpan.FromDays(30), key.ExpiresAt);

        var reopened = _store.Reopen();
        Assert.Equal(TimeSpan.FromDays(3), reopened.Rotation.For(KeyPurpose.ReleaseSigning).Grace);
        Ring.Rotate(key.Id);
        Assert.Equal(_store.Clock.Now + TimeSpan.FromDays(3), Ring.Get(key.Id).GraceUntil);
        Assert.Contains(Ring.AuditEntries(), e => e.Event == "policy-changed");
        Assert.True(Ring.VerifyAudit().Ok);
    }

    [Fact]
    public void The_policy_survives_a_protector_change()
    {
        Ring.SetRotationRule(KeyPurpose.DeviceSigning, new RotationRule(TimeSpan.FromDays(90), TimeSpan.FromDays(1)));
        Ring.ChangeProtector(TestStore.Protector("another passphrase: correct horse battery staple"));
        Assert.Equal(TimeSpan.FromDays(90), _store.Reopen("another passphrase: correct horse battery staple").Rotation.For(KeyPurpose.DeviceSigning).Cryptoperiod);
    }

    [Fact]
    public void An_edited_policy_is_detected()
    {
        Ring.SetRotationRule(KeyPurpose.DeviceSigning, new RotationRule(TimeSpan.FromDays(90), TimeSpan.FromDays(1)));
        using (var connection = new SqliteConnection($"Data Source={_store.Path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE meta SET value = replace(value, '7776000', '77760000') WHERE name = 'rotation_policy'";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        Assert.Throws<KeyStoreException>(() => Ring.Rotation);
    }

    [Fact]
    public void A_non_positive_cryptoperiod_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Ring.SetRotationRule(KeyPurpose.Root, new RotationRule(TimeSpan.Zero, TimeSpan.Zero)));

    [Theory]
    [InlineData(9000 * 365, 0)]
    [InlineData(21 * 365, 0)]
    [InlineData(365, 11 * 365)]
    public void A_rule_outside_the_documented_bounds_is_refused_and_generation_keeps_working(int periodDays, int graceDays)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Ring.SetRotationRule(KeyPurpose.Root, new RotationRule(TimeSpan.FromDays(periodDays), TimeSpan.FromDays(graceDays))));
        Assert.Equal(KeyPurpose.Root, Ring.Generate(KeyPurpose.Root).Purpose);
    }

    [Fact]
    public void The_longest_allowed_rule_still_generates_and_rotates()
    {
        Ring.SetRotationRule(KeyPurpose.Root, new RotationRule(RotationPolicy.MaxCryptoperiod, RotationPolicy.MaxGrace));
        var root = Ring.Generate(KeyPurpose.Root);
        Assert.Equal(2, Ring.Rotate(root.Id).Version);
    }

    [Theory]
    [InlineData("9000y")]
    [InlineData("100000y")]
    [InlineData("99999999999d")]
    public void Durations_beyond_a_century_do_not_parse(string text) =>
        Assert.Throws<FormatException>(() => RotationPolicy.ParseDuration(text));
}
