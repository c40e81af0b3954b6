using System.Text.Json;
using Enigm.Cli.Output;
using Enigm.Cli.Tests.Support;
using Xunit;
using static Enigm.Cli.Tests.Support.Enigm;

namespace Enigm.Cli.Tests;

/// <summary>
/// With --json, a failure writes one document to stdout, {"error":{"code","exit","message"}}, and
/// its one-line message to stderr (README, "Exit codes").
/// </summary>
public sealed class JsonErrorTests
{
    public static TheoryData<string[], string, int> Failures() =>
        new()
        {
            { ["keys", "generate", "--json"], "usage", ExitCodes.Usage },
            { ["--json", "nosuchcommand"], "usage", ExitCodes.Usage },
            { ["demo", "--chapter", "nope", "--json"], "usage", ExitCodes.Usage },
            { ["trust", "safety-number", "zz", "yy", "--json"], "malformed-input", ExitCodes.MalformedInput },
            { ["keys", "list", "--home", "/dev/null", "--json"], "key-store", ExitCodes.KeyStore },
        };

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_failure_with_json_is_one_json_error_document(string[] args, string errorCode, int exit)
    {
        var (code, output, error) = Run(args);
        Assert.Equal(exit, code);
        using var json = JsonDocument.Parse(output);
        var e = json.RootElement.GetProperty("error");
        Assert.Equal(errorCode, e.GetProperty("code").GetString());
        Assert.Equal(exit, e.GetProperty("exit").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("message").GetString()));
        Assert.Single(Lines(error));
    }

    [Fact]
    public void Without_json_a_failure_writes_nothing_to_stdout()
    {
        var (code, output, error) = Run("trust", "safety-number", "zz", "yy");
        Assert.Equal(ExitCodes.MalformedInput, code);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith("enigm: malformed-input: ", Assert.Single(Lines(error)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_home_that_is_a_file_is_a_key_store_error_before_anything_is_created()
    {
        using var temp = new TempFolder();
        var file = temp.File("not-a-folder", [1, 2, 3]);
        var (code, _, error) = Run("keys", "init", "--home", file, "--argon2", "interactive");
        Assert.Equal(ExitCodes.KeyStore, code);
        Assert.Contains("not a folder", error, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(file));
    }
}
