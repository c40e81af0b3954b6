using System.Text.Json;
using Enigm.Cli.Output;
using Enigm.Cli.SelfTest;
using Enigm.Crypto.KnownAnswers;
using Xunit;

namespace Enigm.Crypto.Tests.Cli;

public sealed class CliTests
{
    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Enigm.Cli.Program.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Demo_runs_every_chapter_and_all_claims_hold()
    {
        var (code, output, error) = Run("demo", "--json");
        Assert.True(code == ExitCodes.Ok, error + output);
        using var json = JsonDocument.Parse(output);
        Assert.True(json.RootElement.GetProperty("ok").GetBoolean());
        var claims = json.RootElement.GetProperty("claims").EnumerateArray().ToList();
        Assert.True(claims.Count >= 15, $"only {claims.Count} claims");
        Assert.All(claims, c => Assert.True(c.GetProperty("ok").GetBoolean(), c.GetProperty("claim").GetString()));
    }

    [Fact]
    public void Demo_narrates_with_verdict_lines_and_the_provider_table()
    {
        var (code, output, _) = Run("demo");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("[PASS] X-Wing: the recipient decapsulates the sender's shared secret", output, StringComparison.Ordinal);
        Assert.Contains("corrupting the classical half fails verification", output, StringComparison.Ordinal);
        Assert.Contains("ML-KEM-768", output, StringComparison.Ordinal);
        Assert.DoesNotContain("[FAIL]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_rejects_an_unknown_chapter_as_a_usage_error() =>
        Assert.Equal(ExitCodes.Usage, Run("demo", "--chapter", "nope").Code);

    [Fact]
    public void Selftest_passes_for_every_algorithm_and_provider()
    {
        var (code, output, error) = Run("selftest", "--json");
        Assert.True(code == ExitCodes.Ok, error + output);
        using var json = JsonDocument.Parse(output);
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.True(r.GetProperty("passed").GetInt32() > 0 && r.GetProperty("failed").GetInt32() == 0, r.ToString()));
        Assert.Empty(json.RootElement.GetProperty("uncovered").EnumerateArray());
    }

    [Fact]
    public void Every_known_answer_file_is_in_the_embedded_selftest_sample()
    {
        foreach (var file in KnownAnswerCatalog.All.SelectMany(s => s.Files).Distinct())
            Assert.True(EmbeddedVectors.Contains(file), $"{file} is not embedded; run tools/make-selftest-vectors.py");
    }

    [Fact]
    public void Suites_lists_both_suites_as_json()
    {
        var (code, output, _) = Run("suites", "--json");
        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(2, json.RootElement.GetArrayLength());
        Assert.Equal("Preferred", json.RootElement[0].GetProperty("status").GetString());
    }

    [Fact]
    public void Unknown_command_is_a_usage_error_with_a_message()
    {
        var (code, _, error) = Run("frobnicate");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("frobnicate", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("selftest")]
    [InlineData("suites")]
    public void Every_command_has_help(string command)
    {
        var (code, output, _) = Run(command, "--help");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Exit_codes_are_distinct()
    {
        var codes = ExitCodes.Table.Select(e => e.Code).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
    }
}
