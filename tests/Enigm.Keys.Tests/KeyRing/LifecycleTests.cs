using Enigm.Keys.Errors;
using Enigm.Keys.Model;
using Xunit;

namespace Enigm.Keys.Tests.KeyRing;

public sealed class LifecycleTests : IDisposable
{
    private readonly TestStore _store = new();

    private Enigm.Keys.KeyRing Ring => _store.Ring;

    public void Dispose() => _store.Dispose();

    [Fact]
    public void A_new_store_has_an_active_storage_key_and_an_audit_log_that_verifies()
    {
        var storage = Assert.Single(Ring.List());
        Assert.Equal(KeyPurpose.Storage, storage.Purpose);
        Assert.Equal(KeyState.Active, storage.State);
        Assert.True(Ring.VerifyAudit().Ok);
    }

    [Theory]
    [InlineData(KeyPurpose.DeviceSigning, "id-MLDSA65-Ed25519-SHA512")]
    [InlineData(KeyPurpose.ReleaseSigning, "id-MLDSA87-ECDSA-P384-SHA512")]
    [InlineData(KeyPurpose.SignedPrekey, "X25519")]
    [InlineData(KeyPurpose.KemPrekey, "ML-KEM-1024")]
    public void Generate_uses_the_suite_algorithm_for_the_purpose_and_survives_reopening(KeyPurpose purpose, string algorithm)
    {
        var key = Ring.Generate(purpose);
        Assert.Equal(algorithm, key.Algorithm);
        Assert.Equal(_store.Clock.Now + RotationPolicy.Defaults[purpose].Cryptoperiod, key.ExpiresAt);

        var stored = _store.Reopen().Get(key.Id);
        Assert.Equal(key.PublicKey, stored.PublicKey);
        Assert.Equal(key, stored with { PublicKey = key.PublicKey });
    }

    [Fact]
    public void Signing_key_signs_and_verifies_after_reopening()
    {
        var key = Ring.Generate(KeyPurpose.DeviceSigning);
        var signature = Ring.Sign(key.Id, "hello"u8);
        Assert.True(_store.Reopen().Verify(key.Id, "hello"u8, signature));
        Assert.False(Ring.Verify(key.Id, "hellO"u8, signature));
    }

    [Fact]
    public void Kem_prekey_decapsulates_what_was_encapsulated_to_it()
    {
        var key = Ring.Generate(KeyPurpose.KemPrekey);
        var kem = Ring.Options.Providers.Kem(Enigm.Crypto.Algorithms.KemAlgorithm.MlKem1024);
        using var sent = kem.Encapsulate(Ring.PublicKeyForEncryption(key.Id));
        using var received = Ring.Decapsulate(key.Id, sent.Ciphertext);
        Assert.True(received.FixedTimeEquals(sent.SharedSecret.Span));
    }

    [Fact]
    public void Pre_activation_key_does_nothing_until_activated()
    {
        var key = Ring.Generate(KeyPurpose.DeviceSigning, activate: false);
        Assert.Equal(KeyState.PreActivation, key.State);
        Assert.Throws<KeyUsageDeniedException>(() => Ring.Sign(key.Id, "x"u8));
        Ring.Activate(key.Id);
        Assert.NotEmpty(Ring.Sign(key.Id, "x"u8));
    }

    [Fact]
    public void Rotation_activates_a_new_version_and_keeps_the_old_one_for_verification_until_its_grace_ends()
    {
        var v1 = Ring.Generate(KeyPurpose.DeviceSigning);
        var oldSignature = Ring.Sign(v1.Id, "m"u8);
        var v2 = Ring.Rotate(v1.Id);

        Assert.Equal(2, v2.Version);
        Assert.Equal(v1.Id, v2.PredecessorId);
        var retired = Ring.Get(v1.Id);
        Assert.Equal(KeyState.Deactivated, retired.State);
        Assert.Equal(v2.Id, retired.SuccessorId);
        Assert.Equal(v2.Id, Ring.Get(v1.SeriesId).Id);

        Assert.Throws<KeyUsageDeniedException>(() => Ring.Sign(v1.Id, "m"u8));
        Assert.True(Ring.Verify(v1.Id, "m"u8, oldSignature));

        _store.Clock.Advance(RotationPolicy.Defaults[KeyPurpose.DeviceSigning].Grace + TimeSpan.FromSeconds(1));
        Assert.Throws<KeyUsageDeniedException>(() => Ring.Verify(v1.Id, "m"u8, oldSignature));
        Assert.NotEmpty(Ring.Sign(v2.Id, "m"u8));
    }

    [Fact]
    public void Replace_requires_a_reason_and_records_it()
    {
        var v1 = Ring.Generate(KeyPurpose.ReleaseSigning);
        Assert.Throws<ArgumentException>(() => Ring.Replace(v1.Id, " "));
        var v2 = Ring.Replace(v1.Id, "laptop stolen", TimeSpan.Zero);
        Assert.Equal("laptop stolen", Ring.Get(v1.Id).Reason);
        Assert.Equal(KeyState.Active, v2.State);
        Assert.Contains(Ring.AuditEntries(), e => e.Event == "replaced" && e.KeyId == v1.Id);
    }

    [Fact]
    public void Suspended_key_verifies_but_does_not_sign_and_can_resume()
    {
        var key = Ring.Generate(KeyPurpose.DeviceSigning);
        var signature = Ring.Sign(key.Id, "m"u8);
        Ring.Suspend(key.Id, "investigating");
        Assert.Throws<KeyUsageDeniedException>(() => Ring.Sign(key.Id, "m"u8));
        Assert.True(Ring.Verify(key.Id, "m"u8, signature));
        Ring.Resume(key.Id);
        Assert.NotEmpty(Ring.Sign(key.Id, "m"u8));
    }

    [Fact]
    public void Illegal_transitions_are_typed_errors()
    {
        var key = Ring.Generate(KeyPurpose.DeviceSigning);
        Assert.Throws<IllegalKeyTransitionException>(() => Ring.Resume(key.Id));
        Ring.Destroy(Ring.Revoke(key.Id, "test").Record.Id);
        Assert.Throws<IllegalKeyTransitionException>(() => Ring.Activate(key.Id));
        Assert.Throws<IllegalKeyTransitionException>(() => Ring.Suspend(key.Id, "x"));
        Assert.Throws<IllegalKeyTransitionException>(() => Ring.Destroy(key.Id));
        Assert.Throws<IllegalKeyTransitionException>(() => Ring.Rotate(key.Id));
    }

    [Fact]
    public void Compromised_key_neither_signs_nor_verifies()
    {
        var key = Ring.Generate(KeyPurpose.DeviceSigning);
        var signature = Ring.Sign(key.Id, "m"u8);
        Ring.Revoke(key.Id, "key compromise");
        Assert.Throws<KeyUsageDeniedException>(() => Ring.Sign(key.Id, "m"u8));
        Assert.Throws<KeyUsageDeniedException>(() => Ring.Verify(key.Id, "m"u8, signature));
    }

    [Fact]
    public void Expired_cryptoperiod_stops_signing_and_shows_in_due()
    {
        var key = Ring.Generate(KeyPurpose.SignedPrekey);
        Assert.DoesNotContain(Ring.Due(TimeSpan.FromDays(1)), d => d.Key.Id == key.Id);
        Assert.Contains(Ring.Due(TimeSpan.FromDays(8)), d => d.Key.Id == key.Id && !d.Overdue);
        _store.Clock.Advance(TimeSpan.FromDays(8));
        Assert.Contains(Ring.Due(TimeSpan.Zero), d => d.Key.Id == key.Id && d.Overdue);
    }

    [Fact]
    public void Every_lifecycle_event_is_audited_and_the_log_verifies()
    {
        var key = Ring.Generate(KeyPurpose.DeviceSigning);
        Ring.Suspend(key.Id, "s");
        Ring.Resume(key.Id);
        var v2 = Ring.Rotate(key.Id);
        Ring.Revoke(v2.Id, "r");
        Ring.Destroy(v2.Id);
        var events = Ring.AuditEntries().Where(e => e.KeyId is not null && e.KeyId.StartsWith(key.SeriesId, StringComparison.Ordinal)).Select(e => e.Event).ToList();
        Assert.Equal(["generated", "activated", "suspended", "resumed", "rotated", "activated", "revoked", "destroyed"], events);
        var verification = Ring.VerifyAudit();
        Assert.True(verification.Ok, verification.Problem);
    }

    [Fact]
    public void Unknown_key_is_a_typed_error() =>
        Assert.Throws<Errors.KeyNotFoundException>(() => Ring.Get("k_nope.v1"));
}
