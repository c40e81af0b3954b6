using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Enigm.Cli.Output;
using Xunit;

namespace Enigm.Cli.Tests;

/// <summary>ExitCodes.Table is the one table: README.md's and the typed errors must agree with it.</summary>
public sealed partial class ExitCodeTableTests
{
    [Fact]
    public void Readme_exit_code_table_is_exactly_ExitCodes_Table()
    {
        var readme = File.ReadAllText(Path.Combine(Support.Enigm.RepositoryRoot(), "README.md"));
        var start = readme.IndexOf("### Exit codes", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '### Exit codes' section");
        var end = readme.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? readme[start..] : readme[start..end];
        var rows = TableRow().Matches(section)
            .Select(m => (Code: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Meaning: m.Groups[2].Value.Trim()))
            .ToList();
        Assert.NotEmpty(rows);
        Assert.Equal(
            ExitCodes.Table.Select(e => $"{e.Code} | {e.Meaning}"),
            rows.Select(r => $"{r.Code} | {r.Meaning}"));
    }

    [Fact]
    public void Every_typed_error_maps_to_a_documented_code_other_than_internal_error()
    {
        var documented = ExitCodes.Table.Select(e => e.Code).ToHashSet();
        var errors = ErrorTypes();
        Assert.True(errors.Count >= 30, $"only {errors.Count} error types found");
        foreach (var type in errors)
        {
            var code = ExitCodes.For((EnigmException)RuntimeHelpers.GetUninitializedObject(type));
            Assert.True(code != ExitCodes.InternalError, $"{type.FullName} has no exit code (it would exit 70)");
            Assert.Contains(code, documented);
        }
    }

    [Fact]
    public void Every_documented_code_comes_from_a_typed_error_or_a_documented_condition()
    {
        var mapped = ErrorTypes().Select(t => ExitCodes.For((EnigmException)RuntimeHelpers.GetUninitializedObject(t))).ToHashSet();
        foreach (var (code, meaning) in ExitCodes.Table)
            Assert.True(mapped.Contains(code) || ExitCodes.Conditions.Contains(code), $"exit {code} ({meaning}) is neither an error type's code nor a condition");
        Assert.All(ExitCodes.Conditions, c => Assert.DoesNotContain(c, mapped));
    }

    [Fact]
    public void Exit_codes_are_distinct_and_in_ascending_order()
    {
        var codes = ExitCodes.Table.Select(e => e.Code).ToList();
        Assert.Equal(codes.Distinct().Order(), codes);
    }

    [Fact]
    public void Help_exit_codes_prints_every_code()
    {
        var (code, output, _) = Support.Enigm.Run("help", "exit-codes");
        Assert.Equal(ExitCodes.Ok, code);
        foreach (var (c, meaning) in ExitCodes.Table) Assert.Contains($"{c,-4}  {meaning}", output, StringComparison.Ordinal);
    }

    /// <summary>Every concrete EnigmException in the libraries the CLI ships with.</summary>
    private static List<Type> ErrorTypes() =>
    [
        .. typeof(Program).Assembly.GetReferencedAssemblies()
            .Where(a => a.Name!.StartsWith("Enigm.", StringComparison.Ordinal))
            .Select(Assembly.Load)
            .Append(typeof(Program).Assembly)
            .SelectMany(a => a.GetTypes())
            .Where(t => t.IsSubclassOf(typeof(EnigmException)) && !t.IsAbstract)
            .Distinct(),
    ];

    [GeneratedRegex(@"^\| (\d+) \| (.+?) \|\s*$", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
