using System.Security.Cryptography;
using Enigm.Trust.Policy;
using Xunit;
using static Enigm.Trust.Tests.Posture.PostureTestKit;

namespace Enigm.Trust.Tests.Policy;

/// <summary>The organisation key's fingerprint, pinned out of band (docs/policy.md, "CLI"): the full SHA-256, read as people type it.</summary>
public sealed class OrganisationFingerprintTests
{
    [Fact]
    public void The_fingerprint_is_the_full_sha256_of_the_encoded_key_and_differs_per_organisation()
    {
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Organisation.Encoded)), Organisation.Fingerprint);
        Assert.StartsWith(Organisation.Id["org-".Length..], Organisation.Fingerprint, StringComparison.Ordinal);
        Assert.NotEqual(Organisation.Fingerprint, OtherOrganisation.Fingerprint);
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("sha256:{0}")]
    [InlineData("  SHA256:{1}  ")]
    public void Reads_a_fingerprint_in_either_case_with_a_prefix_and_spaces(string format)
    {
        var hex = Organisation.Fingerprint;
        var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, hex, hex.ToUpperInvariant());

        Assert.Equal(SHA256.HashData(Organisation.Encoded), OrganisationKey.ParseFingerprint(text));
    }

    [Fact]
    public void Reads_a_fingerprint_grouped_with_colons_spaces_or_dashes()
    {
        var groups = Organisation.Fingerprint.Chunk(4).Select(c => new string(c)).ToArray();

        Assert.Equal(SHA256.HashData(Organisation.Encoded), OrganisationKey.ParseFingerprint(string.Join(':', groups)));
        Assert.Equal(SHA256.HashData(Organisation.Encoded), OrganisationKey.ParseFingerprint(string.Join(' ', groups)));
        Assert.Equal(SHA256.HashData(Organisation.Encoded), OrganisationKey.ParseFingerprint(string.Join('-', groups)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sha256:")]
    [InlineData("org-0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdefa")]
    [InlineData("g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Rejects_anything_that_is_not_64_hex_digits(string text) =>
        Assert.Throws<OrganisationKeyException>(() => OrganisationKey.ParseFingerprint(text));

    [Fact]
    public void Rejects_an_overlong_input_before_reading_it() =>
        Assert.Throws<OrganisationKeyException>(() => OrganisationKey.ParseFingerprint(Organisation.Fingerprint[..32] + new string(':', 10_000) + Organisation.Fingerprint[32..]));
}
