using System.Text.Json;
using Xunit;

namespace Enigm.Keys.Tests.Cli;

/// <summary>The <c>enigm keys</c> commands in process: results, JSON and exit codes.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class KeysCliTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("enigm-cli-").FullName;

    public KeysCliTests()
    {
        Environment.SetEnvironmentVariable("ENIGM_PASSPHRASE", "cli test passphrase");
        Assert.Equal(0, Run("keys", "init", "--argon2", "interactive").Code);
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Enigm.Cli.Program.Run([.. args, "--home", _home], output, error);
        return (code, output.ToString(), error.ToString());
    }

    private JsonElement Json(params string[] args)
    {
        var (code, output, error) = Run([.. args, "--json"]);
        Assert.True(code == 0, $"exit {code}: {error}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    [Fact]
    public void Generate_rotate_revoke_and_verify_the_statement_offline()
    {
        var key = Json("keys", "generate", "--purpose", "release-signing").GetProperty("id").GetString()!;
        var next = Json("keys", "rotate", key);
        Assert.Equal(2, next.GetProperty("version").GetInt32());

        var statement = Path.Combine(_home, "revocation.bin");
        Json("keys", "revoke", key, "--reason", "key compromise", "--out", statement);
        var storage = Json("keys", "list").GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("purpose").GetString() == "storage").GetProperty("id").GetString()!;
        var authority = Path.Combine(_home, "authority.pub");
        Json("keys", "export-public", storage, "--out", authority);

        var verified = Json("keys", "revocation", "verify", statement, "--authority-key", authority);
        Assert.Equal(key, verified.GetProperty("revokedKey").GetString());

        var bytes = File.ReadAllBytes(statement);
        bytes[^5] ^= 1;
        File.WriteAllBytes(statement, bytes);
        Assert.NotEqual(0, Run("keys", "revocation", "verify", statement, "--authority-key", authority).Code);
    }

    [Fact]
    public void Wrong_passphrase_exits_20()
    {
        Environment.SetEnvironmentVariable("ENIGM_PASSPHRASE", "not it");
        try
        {
            Assert.Equal(20, Run("keys", "list").Code);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ENIGM_PASSPHRASE", "cli test passphrase");
        }
    }

    [Fact]
    public void Typed_errors_have_their_exit_codes()
    {
        Assert.Equal(21, Run("keys", "show", "k_missing.v1").Code);
        var key = Json("keys", "generate", "--purpose", "device-signing").GetProperty("id").GetString()!;
        Assert.Equal(22, Run("keys", "resume", key).Code);
        Assert.Equal(2, Run("keys", "generate", "--purpose", "nonsense").Code);
        Assert.Equal(2, Run("keys", "rotate", key, "--grace", "soon").Code);
        Assert.Equal(26, Run("keys", "init").Code);
    }

    [Fact]
    public void Generate_with_a_chosen_algorithm_keeps_it_through_rotation_and_refuses_one_not_allowed()
    {
        var key = Json("keys", "generate", "--purpose", "root", "--algorithm", "ed25519");
        Assert.Equal("Ed25519", key.GetProperty("algorithm").GetString());
        var next = Json("keys", "rotate", key.GetProperty("id").GetString()!);
        Assert.Equal("Ed25519", next.GetProperty("algorithm").GetString());

        Assert.Equal(17, Run("keys", "generate", "--purpose", "device-signing", "--algorithm", "Ed25519").Code);
        Assert.Equal(2, Run("keys", "generate", "--purpose", "root", "--algorithm", "rsa").Code);
    }

    [Fact]
    public void Audit_verify_detects_an_edited_export()
    {
        Json("keys", "generate", "--purpose", "device-signing");
        var export = Path.Combine(_home, "audit.json");
        Assert.Equal(0, Run("keys", "audit", "export", "--out", export).Code);
        Assert.True(Json("keys", "audit", "verify", "--file", export).GetProperty("ok").GetBoolean());

        File.WriteAllText(export, File.ReadAllText(export).Replace("\"generated\"", "\"imported\"", StringComparison.Ordinal));
        var (code, output, _) = Run("keys", "audit", "verify", "--file", export, "--json");
        Assert.Equal(27, code);
        Assert.False(JsonDocument.Parse(output).RootElement.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public void Due_lists_nothing_for_fresh_keys_and_every_command_has_help()
    {
        Assert.Empty(Json("keys", "due", "--within", "1d").EnumerateArray());
        foreach (var command in new[] { "list", "show", "generate", "rotate", "replace", "suspend", "resume", "revoke", "destroy", "due", "passwd" })
            Assert.Equal(0, Run("keys", command, "--help").Code);
    }
}
