using Enigm.Cli.Demo;
using Enigm.Cli.Output;
using Xunit;
using static Enigm.Cli.Tests.Support.Enigm;

namespace Enigm.Cli.Tests;

/// <summary>A first screen a new user understands (issue 11 §7).</summary>
public sealed class HelpTests
{
    [Fact]
    public void Top_level_help_shows_the_commands_first_and_only_a_short_exit_code_summary()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(ExitCodes.Ok, code);
        var lines = output.Split('\n');
        var commands = Array.FindIndex(lines, l => l.StartsWith("Commands:", StringComparison.Ordinal));
        Assert.InRange(commands, 0, 15);
        Assert.Contains(lines.Skip(commands), l => l.TrimStart().StartsWith("demo ", StringComparison.Ordinal));
        var exitCodes = Array.FindIndex(lines, l => l.Contains("Exit codes", StringComparison.Ordinal));
        Assert.True(exitCodes > commands, "the exit codes come after the commands");
        Assert.Contains("enigm help exit-codes", output, StringComparison.Ordinal);
        Assert.True(lines.Length < 40, $"--help is {lines.Length} lines");
        Assert.DoesNotContain("OTA: metadata expired (freeze attack)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_help_lists_every_chapter_with_its_title()
    {
        var (code, output, _) = Run("demo", "--help");
        Assert.Equal(ExitCodes.Ok, code);
        foreach (var chapter in DemoRunner.Chapters)
            Assert.Contains(output.Split('\n'), l => l.Trim().StartsWith(chapter.Name, StringComparison.Ordinal) && l.Contains(chapter.Title, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "nosuchcommand", "--help" }, "nosuchcommand")]
    [InlineData(new[] { "keys", "nosuchcommand", "--help" }, "nosuchcommand")]
    [InlineData(new[] { "help", "nosuchcommand" }, "nosuchcommand")]
    public void Help_for_an_unknown_command_is_a_usage_error(string[] args, string named)
    {
        var (code, _, error) = Run(args);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "keys", "generate" }, "enigm keys generate --help")]
    [InlineData(new[] { "trust", "safety-number", "only-one" }, "enigm trust safety-number --help")]
    [InlineData(new[] { "demo", "--chapters", "crypto" }, "enigm demo --help")]
    [InlineData(new[] { "update", "check", "--repo", "x" }, "enigm update check --help")]
    [InlineData(new[] { "frobnicate" }, "enigm --help")]
    public void A_usage_error_points_to_the_failing_command_s_help(string[] args, string help)
    {
        var (code, _, error) = Run(args);
        Assert.Equal(ExitCodes.Usage, code);
        var line = Assert.Single(Lines(error));
        Assert.EndsWith($"Try '{help}'.", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("keys", "generate")]
    [InlineData("update", "check")]
    [InlineData("trust", "verify-log")]
    public void Help_works_on_commands_with_required_options(string group, string command)
    {
        var (code, output, error) = Run(group, command, "--help");
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        var (viaHelp, helpOutput, _) = Run("help", group, command);
        Assert.Equal(ExitCodes.Ok, viaHelp);
        Assert.Equal(output, helpOutput);
    }
}
