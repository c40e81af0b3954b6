using System.Text.Json;
using Xunit;

namespace Enigm.Trust.Tests.Cli;

/// <summary><c>enigm trust safety-number</c>: same digits in either order, a QR payload, typed errors for bad fingerprints.</summary>
public sealed class SafetyNumberCliTests
{
    private const string Alice = "a6b9bedc50605923a6b9bedc50605923a6b9bedc50605923a6b9bedc50605923";
    private const string Bob = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Enigm.Cli.Program.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Both_orders_give_the_same_60_digits_in_12_groups()
    {
        var (code, output, error) = Run("trust", "safety-number", Alice, Bob, "--json");
        Assert.True(code == 0, error);
        var json = JsonDocument.Parse(output).RootElement;
        var digits = json.GetProperty("safetyNumber").GetString()!;
        Assert.Matches("^[0-9]{60}$", digits);
        Assert.Equal(12, json.GetProperty("groups").GetArrayLength());
        Assert.StartsWith("enigm-sn1:", json.GetProperty("qr").GetString(), StringComparison.Ordinal);

        var reversed = JsonDocument.Parse(Run("trust", "safety-number", Bob, Alice, "--json").Output).RootElement;
        Assert.Equal(digits, reversed.GetProperty("safetyNumber").GetString());
    }

    [Fact]
    public void Narration_prints_the_grouped_number()
    {
        var (code, output, _) = Run("trust", "safety-number", Alice, Bob);
        Assert.Equal(0, code);
        Assert.Matches(@"^(\d{5} ){11}\d{5}$", output.Split('\n')[0].Trim());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("zz0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd")]
    public void A_malformed_fingerprint_exits_10(string bad)
    {
        var (code, _, error) = Run("trust", "safety-number", bad, Bob);
        Assert.Equal(10, code);
        Assert.Contains("fingerprint", error, StringComparison.OrdinalIgnoreCase);
    }
}
