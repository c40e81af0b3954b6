using System.Text;
using Enigm.E2E.Tests.Support;
using Xunit;

namespace Enigm.E2E.Tests;

/// <summary>The scanner the no-plaintext tests rely on finds a secret in each form it claims to search.</summary>
public sealed class PlaintextScannerTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("the blue door code is 4417-alpha");

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Finds_a_secret_base64_encoded_inside_json_at_any_alignment(int prefix)
    {
        var json = Encoding.UTF8.GetBytes("{\"body\":\"" + Convert.ToBase64String([.. new byte[prefix], .. Secret, 7, 7]) + "\"}");
        Assert.NotEmpty(new PlaintextScanner([("secret", Secret)]).Find("json", json));
    }

    [Fact]
    public void Finds_a_secret_raw_as_UTF16_and_as_hex()
    {
        var scanner = new PlaintextScanner([("secret", Secret)]);
        Assert.NotEmpty(scanner.Find("raw", [1, 2, .. Secret, 3]));
        Assert.NotEmpty(scanner.Find("utf16", Encoding.Unicode.GetBytes("x" + Encoding.UTF8.GetString(Secret))));
        Assert.NotEmpty(scanner.Find("hex", Encoding.ASCII.GetBytes("\\x00" + Convert.ToHexStringLower(Secret))));
    }

    [Fact]
    public void Finds_nothing_in_unrelated_bytes()
    {
        var other = Encoding.UTF8.GetBytes("the red door code is 9999-omega and nothing else");
        Assert.Empty(new PlaintextScanner([("secret", Secret)]).Find("other", [.. other, .. Encoding.ASCII.GetBytes(Convert.ToBase64String(other))]));
    }
}
