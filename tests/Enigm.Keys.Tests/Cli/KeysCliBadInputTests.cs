using System.Text.Json;
using Xunit;

namespace Enigm.Keys.Tests.Cli;

/// <summary>
/// Bad input to <c>enigm keys …</c> gets its family's exit code and one line, never exit 70, and
/// nothing stored changes (issue 11, section 3).
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class KeysCliBadInputTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("enigm-cli-bad-").FullName;
    private readonly string _home;

    public KeysCliBadInputTests()
    {
        Environment.SetEnvironmentVariable("ENIGM_PASSPHRASE", "cli test passphrase");
        _home = Path.Combine(_root, "home");
        Assert.Equal(0, Run("keys", "init", "--argon2", "interactive", "--home", _home).Code);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Enigm.Cli.Program.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private (int Code, string Output, string Error) Keys(params string[] args) => Run(["keys", .. args, "--home", _home]);

    private static void OneLine(string error) => Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));

    private string StoreDigest() => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(_home, "keys.db"))));

    [Theory]
    [InlineData("not a database")]
    [InlineData("truncated")]
    [InlineData("zero-filled")]
    public void A_keys_db_that_is_not_a_store_exits_26_with_one_line_and_is_left_alone(string kind)
    {
        var home = Path.Combine(_root, kind.Replace(' ', '-'));
        Directory.CreateDirectory(home);
        var good = File.ReadAllBytes(Path.Combine(_home, "keys.db"));
        var content = kind switch
        {
            "truncated" => good[..(good.Length / 3)],
            "zero-filled" => new byte[good.Length],
            _ => "hello, I am a text file"u8.ToArray(),
        };
        File.WriteAllBytes(Path.Combine(home, "keys.db"), content);

        foreach (var command in new[] { "list", "due", "policy" })
        {
            var (code, _, error) = Run("keys", command, "--home", home);
            Assert.Equal(26, code);
            OneLine(error);
        }

        Assert.Equal(content, File.ReadAllBytes(Path.Combine(home, "keys.db")));
    }

    [Fact]
    public void A_home_that_is_a_file_or_dev_null_exits_26()
    {
        var file = Path.Combine(_root, "plain-file");
        File.WriteAllText(file, "x");
        foreach (var home in new[] { file, "/dev/null", Path.Combine(file, "sub") })
        {
            var (init, _, error) = Run("keys", "init", "--argon2", "interactive", "--home", home);
            Assert.Equal(26, init);
            OneLine(error);
            Assert.Equal(26, Run("keys", "list", "--home", home).Code);
        }

        Assert.Equal("x", File.ReadAllText(file));
    }

    [Fact]
    public void A_period_outside_the_bounds_is_refused_up_front_and_root_keys_still_generate()
    {
        var before = StoreDigest();
        foreach (var period in new[] { "9000y", "21y", "0d", "30m" })
        {
            var (code, _, error) = Keys("policy", "--purpose", "root", "--period", period);
            Assert.Equal(2, code);
            OneLine(error);
        }

        Assert.Equal(2, Keys("policy", "--purpose", "root", "--period", "1y", "--grace", "11y").Code);
        Assert.Equal(before, StoreDigest());
        Assert.Equal(0, Keys("generate", "--purpose", "root").Code);
        Assert.Equal(2, Keys("rotate", "k_none", "--grace", "9000y").Code);
    }

    [Fact]
    public void Revoke_out_into_a_missing_folder_is_refused_before_the_revocation_is_committed()
    {
        var key = JsonDocument.Parse(Keys("generate", "--purpose", "device-signing", "--json").Output).RootElement.GetProperty("id").GetString()!;
        var before = StoreDigest();

        var (code, _, error) = Keys("revoke", key, "--reason", "lost", "--out", Path.Combine(_root, "missing", "statement.bin"));

        Assert.Equal(2, code);
        OneLine(error);
        Assert.Equal(before, StoreDigest());
        Assert.Contains("\"active\"", Keys("show", key, "--json").Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_revocation_statement_can_always_be_exported_again()
    {
        var key = JsonDocument.Parse(Keys("generate", "--purpose", "device-signing", "--json").Output).RootElement.GetProperty("id").GetString()!;
        Assert.Equal(0, Keys("revoke", key, "--reason", "lost").Code);

        var statement = Path.Combine(_root, "statement.bin");
        Assert.Equal(0, Keys("revocation", "export", key, "--out", statement).Code);
        var storage = JsonDocument.Parse(Keys("list", "--json").Output).RootElement.GetProperty("keys").EnumerateArray()
            .Single(k => k.GetProperty("purpose").GetString() == "storage").GetProperty("id").GetString()!;
        var authority = Path.Combine(_root, "authority.pub");
        Assert.Equal(0, Keys("export-public", storage, "--out", authority).Code);
        Assert.Equal(0, Run("keys", "revocation", "verify", statement, "--authority-key", authority).Code);

        // Never over an existing file; a key that was not revoked has no statement.
        Assert.Equal(2, Keys("revocation", "export", key, "--out", statement).Code);
        Assert.Equal(23, Keys("revocation", "export", storage, "--out", Path.Combine(_root, "none.bin")).Code);
    }

    [Fact]
    public void Out_files_are_never_overwritten_and_missing_folders_are_refused()
    {
        var existing = Path.Combine(_root, "existing");
        File.WriteAllText(existing, "keep me");
        var storage = JsonDocument.Parse(Keys("list", "--json").Output).RootElement.GetProperty("keys")[0].GetProperty("id").GetString()!;

        foreach (var target in new[] { existing, Path.Combine(_root, "missing", "x"), _root })
        {
            var (exportPublic, _, e1) = Keys("export-public", storage, "--out", target);
            Assert.Equal(2, exportPublic);
            OneLine(e1);
            var (auditExport, _, e2) = Keys("audit", "export", "--out", target);
            Assert.Equal(2, auditExport);
            OneLine(e2);
        }

        Assert.Equal("keep me", File.ReadAllText(existing));
    }

    [Fact]
    public void Audit_verify_of_a_missing_file_exits_10_and_an_export_verifies_offline_with_the_public_key()
    {
        var (missing, _, error) = Keys("audit", "verify", "--file", Path.Combine(_root, "missing.json"));
        Assert.Equal(10, missing);
        OneLine(error);

        var export = Path.Combine(_root, "audit.json");
        Assert.Equal(0, Keys("audit", "export", "--out", export).Code);
        var storage = JsonDocument.Parse(Keys("list", "--json").Output).RootElement.GetProperty("keys")[0].GetProperty("id").GetString()!;
        var key = Path.Combine(_root, "storage.pub");
        Assert.Equal(0, Keys("export-public", storage, "--out", key).Code);

        // No store at all: a home that does not exist.
        var offline = Run("keys", "audit", "verify", "--file", export, "--audit-key", key, "--home", Path.Combine(_root, "nowhere"), "--json");
        Assert.True(offline.Code == 0, offline.Error);
        File.WriteAllText(export, File.ReadAllText(export).Replace("\"generated\"", "\"imported\"", StringComparison.Ordinal));
        Assert.Equal(27, Run("keys", "audit", "verify", "--file", export, "--audit-key", key).Code);
    }

    [Fact]
    public void A_weak_or_empty_passphrase_on_init_exits_29_and_creates_nothing()
    {
        foreach (var passphrase in new[] { "", "x", "password" })
        {
            var home = Path.Combine(_root, "weak-" + passphrase.Length);
            using var process = EnigmProcess.Start(home, new Dictionary<string, string> { ["ENIGM_PASSPHRASE"] = passphrase }, "keys", "init", "--argon2", "interactive");
            var error = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)));
            Assert.Equal(29, process.ExitCode);
            OneLine(error);
            Assert.False(File.Exists(Path.Combine(home, "keys.db")));
        }
    }
}
