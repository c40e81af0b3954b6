using Enigm.Crypto.Errors;
using Enigm.Trust.Policy;
using Enigm.Trust.Posture;
using Xunit;
using static Enigm.Trust.Tests.Posture.PostureTestKit;

namespace Enigm.Trust.Tests.Posture;

/// <summary>Posture statements (docs/policy.md, "Posture statement"): signed by the device key, strictly decoded.</summary>
public sealed class PostureStatementTests
{
    [Fact]
    public void A_signed_statement_verifies_under_the_device_key_with_every_field_intact()
    {
        var sample = Sample();
        var encoded = PostureEncoding.Sign(sample, Signer(DeviceKey));

        var read = PostureEncoding.Verify(encoded, Device);

        Assert.Equal(sample.Account, read.Account);
        Assert.Equal(sample.Device, read.Device);
        Assert.Equal(sample.IssuedAt, read.IssuedAt);
        Assert.Equal("2.1.0", read.ClientVersion);
        Assert.Equal("13.2", read.OsVersion);
        Assert.Equal(KeyProtectorKind.Tpm, read.KeyProtector);
        Assert.Equal(sample.Keys, read.Keys);
        Assert.Equal(sample.LastOtaCheck, read.LastOtaCheck);
        Assert.Equal(AuditLogCheck.Verified, read.AuditLog);
        Assert.Equal(0, read.KeysDue);
    }

    [Fact]
    public void Encoding_is_deterministic_apart_from_the_signature()
    {
        var a = PostureEncoding.ReadUnverified(PostureEncoding.Sign(Sample(), Signer(DeviceKey)));
        var b = PostureEncoding.ReadUnverified(PostureEncoding.Sign(Sample(), Signer(DeviceKey)));
        Assert.Equal(a with { Keys = [] }, b with { Keys = [] });
    }

    [Fact]
    public void Rejects_a_statement_signed_by_another_key_as_forged()
    {
        var encoded = PostureEncoding.Sign(Sample(), Signer(OtherKey));
        Assert.Throws<PostureForgedException>(() => PostureEncoding.Verify(encoded, Device));
    }

    [Fact]
    public void Rejects_an_edited_statement_as_forged()
    {
        var honest = PostureEncoding.Sign(Sample() with { ClientVersion = "1.0.0" }, Signer(DeviceKey));
        // Raise the client version in place ("1.0.0" -> "9.0.0"): same length, so the structure still parses.
        var edited = (byte[])honest.Clone();
        var at = IndexOf(edited, "1.0.0"u8.ToArray());
        edited[at] = (byte)'9';

        Assert.Equal("9.0.0", PostureEncoding.ReadUnverified(edited).ClientVersion);
        Assert.Throws<PostureForgedException>(() => PostureEncoding.Verify(edited, Device));
    }

    [Fact]
    public void Rejects_a_genuine_statement_of_one_device_presented_for_another()
    {
        var other = TrustedFor(OtherKey);
        var encoded = PostureEncoding.Sign(Sample(device: other.Id), Signer(OtherKey));
        var e = Assert.Throws<PostureForgedException>(() => PostureEncoding.Verify(encoded, Device with { PublicKey = other.PublicKey }));
        Assert.Contains(other.Id, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_truncated_oversized_and_trailing_bytes_as_malformed()
    {
        var encoded = PostureEncoding.Sign(Sample(), Signer(DeviceKey));
        Assert.Throws<MalformedInputException>(() => PostureEncoding.Verify(encoded[..^10], Device));
        Assert.Throws<MalformedInputException>(() => PostureEncoding.Verify([.. encoded, 0], Device));
        Assert.Throws<MalformedInputException>(() => PostureEncoding.Verify(new byte[PostureEncoding.MaxBytes + 1], Device));
        Assert.Throws<MalformedInputException>(() => PostureEncoding.Verify([], Device));
    }

    [Fact]
    public void The_writer_refuses_a_statement_the_reader_would_reject()
    {
        Assert.Throws<ArgumentException>(() => PostureEncoding.Sign(Sample() with { ClientVersion = "latest" }, Signer(DeviceKey)));
        Assert.Throws<ArgumentException>(() => PostureEncoding.Sign(Sample() with { Account = "Alice" }, Signer(DeviceKey)));
        Assert.Throws<ArgumentException>(() => PostureEncoding.Sign(Sample() with { ChangedContacts = -1 }, Signer(DeviceKey)));
    }

    [Fact]
    public void Due_and_overdue_counts_come_from_the_per_key_reports()
    {
        var statement = Sample() with
        {
            Keys =
            [
                new("device-signing", TimeSpan.FromDays(400), TimeSpan.FromDays(365), true, true),
                new("prekey-signing", TimeSpan.FromDays(80), TimeSpan.FromDays(90), true, false),
                new("storage", TimeSpan.FromDays(1), TimeSpan.FromDays(90), false, false),
            ],
        };
        Assert.Equal(1, statement.KeysDue);
        Assert.Equal(1, statement.KeysOverdue);
        Assert.Equal(TimeSpan.FromDays(400), statement.OldestKeyAge);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        }

        throw new InvalidOperationException("not found");
    }
}
