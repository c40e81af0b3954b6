using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Trust.Enrollment;
using Enigm.Trust.Errors;
using Enigm.Trust.Tests.States;
using Enigm.Trust.Tests.Verification;
using Xunit;

namespace Enigm.Trust.Tests.Enrollment;

public sealed class LinkCodeTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void Round_trips_through_bytes_and_text()
    {
        using var session = NewDeviceEnrollment.Start(EnrollmentOptions.Default with { CodeLifetime = TimeSpan.FromMinutes(3) }, _clock);
        var code = session.Code;

        using var fromBytes = LinkCode.Parse(code.ToBytes());
        using var fromText = LinkCode.ParseText(code.ToText());

        foreach (var parsed in new[] { fromBytes, fromText })
        {
            Assert.Equal(code.CodeId.ToArray(), parsed.CodeId.ToArray());
            Assert.Equal(code.KemPublicKey.ToArray(), parsed.KemPublicKey.ToArray());
            Assert.Equal(ManualClock.Epoch.AddMinutes(3), parsed.ExpiresAt);
            Assert.Equal(SuiteRegistry.Suite1, parsed.Suite);
            Assert.Equal(code.ToBytes(), parsed.ToBytes());
        }
    }

    [Fact]
    public void ToString_never_shows_the_one_time_secret()
    {
        using var session = NewDeviceEnrollment.Start(null, _clock);
        var secretHex = Convert.ToHexStringLower(session.Code.ToBytes().AsSpan(^32));

        Assert.DoesNotContain(secretHex, session.Code.ToString(), StringComparison.Ordinal);
        Assert.Contains("redacted", session.Code.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_truncated_oversized_and_foreign_bytes()
    {
        using var session = NewDeviceEnrollment.Start(null, _clock);
        var bytes = session.Code.ToBytes();

        Assert.Throws<MalformedInputException>(() => LinkCode.Parse(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Throws<MalformedInputException>(() => LinkCode.Parse([.. bytes, 0]));
        Assert.Throws<MalformedInputException>(() => LinkCode.Parse(new byte[LinkCode.MaxBinarySize + 1]));
        Assert.Throws<MalformedInputException>(() => LinkCode.Parse(bytes.AsSpan(0, 10)));
        Assert.Throws<MalformedInputException>(() => LinkCode.Parse(Bytes.Flip(bytes, 0)));
    }

    [Fact]
    public void Rejects_unknown_version_and_unknown_or_refused_suite()
    {
        using var session = NewDeviceEnrollment.Start(null, _clock);
        var bytes = session.Code.ToBytes();

        var badVersion = bytes.ToArray();
        badVersion[4] = 9;
        Assert.Throws<UnsupportedFormatVersionException>(() => LinkCode.Parse(badVersion));
        var unknownSuite = bytes.ToArray();
        unknownSuite[6] = 77;
        Assert.Throws<UnknownSuiteException>(() => LinkCode.Parse(unknownSuite));
        Assert.Throws<SuiteRefusedException>(() => LinkCode.Parse(bytes, SuitePolicy.Default.With(2, SuiteStatus.Preferred).With(1, SuiteStatus.Refused)));
    }

    [Fact]
    public void Rejects_an_expiry_out_of_range()
    {
        using var session = NewDeviceEnrollment.Start(null, _clock);
        var bytes = session.Code.ToBytes();
        bytes[23] = 0xFF; // top byte of the expiry: negative

        Assert.Throws<MalformedInputException>(() => LinkCode.Parse(bytes));
    }

    [Theory]
    [InlineData("")]
    [InlineData("enigm-link2:AAAA")]
    [InlineData("enigm-link1:####")]
    [InlineData("enigm-link1:AAAAA")]
    public void Rejects_bad_text(string text) =>
        Assert.Throws<MalformedInputException>(() => LinkCode.ParseText(text));

    [Fact]
    public void Rejects_oversized_and_non_canonical_text()
    {
        using var session = NewDeviceEnrollment.Start(null, _clock);
        var text = session.Code.ToText();

        Assert.Throws<MalformedInputException>(() => LinkCode.ParseText(text + new string('A', LinkCode.MaxTextLength)));
        // 1279 bytes leave 4 unused bits in the last character; setting one gives a second spelling of the same bytes.
        var last = text[^1];
        var lastValue = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".IndexOf(last, StringComparison.Ordinal);
        var other = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[lastValue ^ 1];
        Assert.Throws<MalformedInputException>(() => LinkCode.ParseText(text[..^1] + other));
    }

    [Fact]
    public void Existing_device_reports_an_unreadable_code_as_invalid()
    {
        var log = new FakeEnrollmentLog();

        Assert.Throws<EnrollmentCodeInvalidException>(() => ExistingDeviceEnrollment.Open("enigm-link1:AAAA", Fingerprints.Alice, log, null, _clock));
        Assert.Throws<EnrollmentCodeInvalidException>(() => ExistingDeviceEnrollment.Open(new byte[40], Fingerprints.Alice, log, null, _clock));
        Assert.Empty(log.Prepared);
    }
}
