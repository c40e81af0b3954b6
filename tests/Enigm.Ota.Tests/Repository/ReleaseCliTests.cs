using System.Security.Cryptography;
using Enigm.Ota.Eligibility;
using Enigm.Ota.Repository;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Enigm.Ota.Tests.Repository;

/// <summary><c>enigm release</c> through <c>Program.Run</c>: two holders with their own homes, JSON and exit codes.</summary>
[Collection(PassphraseEnvironment.Name)]
public sealed class ReleaseCliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("enigm-release-cli-").FullName;
    private readonly ReleaseCli _alice;
    private readonly ReleaseCli _bob;

    public ReleaseCliTests()
    {
        _alice = new ReleaseCli(Path.Combine(_folder, "alice"));
        _bob = new ReleaseCli(Path.Combine(_folder, "bob"));
    }

    private string Repo => Path.Combine(_folder, "repo");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Artifact(string content)
    {
        var file = Path.Combine(_folder, "app-1.2.0.bin");
        File.WriteAllText(file, content);
        return file;
    }

    [Fact]
    public void Two_holders_sign_with_their_own_homes_and_publish_a_repository_clients_accept()
    {
        var bobRoot = Path.Combine(_folder, "bob-root.json");
        var bobTargets = Path.Combine(_folder, "bob-targets.json");
        _bob.Json("release", "keygen", "--role", "root", "--key-type", "ed25519", "--out", bobRoot);
        _bob.Json("release", "keygen", "--role", "targets", "--key-type", "ed25519", "--out", bobTargets);
        var init = _alice.Json("release", "init", Repo, "--key-type", "ed25519", "--threshold", "root=2", "--threshold", "targets=2",
            "--key", $"root={bobRoot}", "--key", $"targets={bobTargets}");
        Assert.Equal(2, init.GetProperty("roles").GetProperty("root").GetProperty("keyids").GetArrayLength());

        var added = _alice.Json("release", "add", Repo, Artifact("firmware"), "--version", "1.2.0", "--channel", "stable",
            "--models", "m1,m2", "--min-os", "13.0", "--rollout", "50", "--require-trust", "verified");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("firmware"u8)), added.GetProperty("hashes").GetProperty("sha256").GetString());
        Assert.Equal(50, added.GetProperty("custom").GetProperty("enigm").GetProperty("rollout").GetInt32());

        _alice.Json("release", "sign", Repo, "--role", "root");
        Assert.True(_bob.Json("release", "sign", Repo, "--role", "root").GetProperty("thresholdMet").GetBoolean());
        Assert.False(_alice.Json("release", "sign", Repo, "--role", "targets").GetProperty("thresholdMet").GetBoolean());
        Assert.Equal(30, _alice.Run("release", "publish", Repo).Code); // targets: 1 of 2
        _bob.Json("release", "sign", Repo, "--role", "targets");
        var published = _alice.Json("release", "publish", Repo);

        Assert.Equal(1, published.GetProperty("timestamp").GetInt64());
        var layout = new RepositoryLayout(Repo);
        var set = RepositoryClient.Refresh(layout, RepositoryClient.FirstRoot(layout));
        var rules = ReleaseRules.FromCustom(set.Targets!.Signed.Targets["app-1.2.0.bin"].Custom)!;
        Assert.Equal(("1.2.0", "stable", "verified"), (rules.Version, rules.Channel, rules.RequireTrust));
        Assert.Equal(["m1", "m2"], rules.Models);
        Assert.Equal(2, _alice.Json("release", "timestamp", Repo).GetProperty("version").GetInt64());
    }

    [Fact]
    public void Suite_key_types_use_the_key_store_and_publish_a_pq_repository()
    {
        // Composite (ML-DSA-87 + ECDSA P-384) everywhere: targets, snapshot and timestamp keys live in the key store.
        _alice.Json("release", "init", Repo, "--key-type", "composite");
        _alice.Json("release", "add", Repo, Artifact("pq"), "--version", "1.0", "--channel", "beta");
        _alice.Json("release", "sign", Repo, "--role", "root");
        _alice.Json("release", "sign", Repo, "--role", "targets");
        _alice.Json("release", "publish", Repo);

        var layout = new RepositoryLayout(Repo);
        var set = RepositoryClient.Refresh(layout, RepositoryClient.FirstRoot(layout));
        Assert.All(set.Root.Signed.Keys.Values, k => Assert.Equal("enigm-composite", k.KeyType));
        var storeKeys = _alice.Json("keys", "list").GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("purpose").GetString()).ToList();
        Assert.Contains("release-signing", storeKeys);
        Assert.Contains("manifest-signing", storeKeys);
    }

    [Fact]
    public void Rotate_and_revoke_stage_new_roots_that_the_client_chain_follows()
    {
        _alice.Json("release", "init", Repo, "--key-type", "ed25519");
        _alice.Json("release", "sign", Repo, "--role", "root");
        _alice.Json("release", "sign", Repo, "--role", "targets");
        _alice.Json("release", "publish", Repo);

        var rotated = _alice.Json("release", "rotate-key", Repo, "--role", "timestamp", "--key-type", "ed25519");
        _alice.Json("release", "sign", Repo, "--role", "root");
        _alice.Json("release", "publish", Repo);
        var layout = new RepositoryLayout(Repo);
        var targetsKey = TufRepository.Open(Repo).CurrentRoot.RoleFor("targets").KeyIds[0];
        var revoked = _alice.Json("release", "revoke-key", Repo, "--key", targetsKey, "--key-type", "ed25519");
        Assert.Equal("targets", revoked.GetProperty("roles")[0].GetString());
        _alice.Json("release", "sign", Repo, "--role", "root");
        _alice.Json("release", "sign", Repo, "--role", "targets");
        _alice.Json("release", "publish", Repo);

        var set = RepositoryClient.Refresh(layout, RepositoryClient.FirstRoot(layout));
        Assert.Equal(3, set.Root.Signed.Version);
        Assert.Contains(rotated.GetProperty("newKeyid").GetString(), set.Root.Signed.RoleFor("timestamp").KeyIds);
        Assert.DoesNotContain(targetsKey, set.Root.Signed.Keys.Keys);
    }

    [Fact]
    public void Bad_input_gets_distinct_exit_codes()
    {
        Assert.Equal(39, _alice.Run("release", "sign", Path.Combine(_folder, "missing"), "--role", "targets").Code);
        _alice.Json("release", "init", Repo, "--key-type", "ed25519");
        Assert.Equal(39, _alice.Run("release", "init", Repo, "--key-type", "ed25519").Code);
        Assert.Equal(2, _alice.Run("release", "add", Repo, Artifact("x"), "--version", "one", "--channel", "stable").Code);
        Assert.Equal(2, _alice.Run("release", "add", Repo, Artifact("x"), "--version", "1.0", "--channel", "stable", "--rollout", "101").Code);
        Assert.Equal(2, _alice.Run("release", "init", Path.Combine(_folder, "r2"), "--key-type", "rsa").Code);
        Assert.Equal(2, _alice.Run("release", "init", Path.Combine(_folder, "r3"), "--threshold", "root=3").Code);
        Assert.Equal(10, _alice.Run("release", "add", Repo, Artifact("x"), "--version", "1.0", "--channel", "s", "--name", "../evil").Code);
        Assert.Equal(2, _alice.Run("release", "sign", Repo).Code);
        Assert.Equal(39, _bob.Run("release", "sign", Repo, "--role", "targets").Code);
    }

    [Fact]
    public void Tampered_or_oversized_public_key_files_are_typed_errors()
    {
        var garbage = Path.Combine(_folder, "garbage.json");
        File.WriteAllText(garbage, "{\"keytype\": \"ed25519\", \"scheme\": \"ed25519\", \"keyval\": {\"public\": \"zz\"}}");
        Assert.Equal(10, _alice.Run("release", "init", Repo, "--key-type", "ed25519", "--key", $"root={garbage}").Code);
        File.WriteAllBytes(garbage, new byte[70 * 1024]);
        Assert.Equal(10, _alice.Run("release", "init", Path.Combine(_folder, "r2"), "--key-type", "ed25519", "--key", $"root={garbage}").Code);
    }

    [Fact]
    public void Every_key_type_lives_in_the_key_store_with_its_algorithm_and_no_key_files()
    {
        _alice.Json("release", "keygen", "--role", "root", "--key-type", "ml-dsa");
        _alice.Json("release", "keygen", "--role", "targets", "--key-type", "composite");
        _alice.Json("release", "init", Repo, "--key-type", "ed25519");

        var keys = _alice.Json("keys", "list").GetProperty("keys").EnumerateArray()
            .Select(k => (Purpose: k.GetProperty("purpose").GetString(), Algorithm: k.GetProperty("algorithm").GetString()))
            .ToList();
        Assert.Contains(("root", "ML-DSA-87"), keys);
        Assert.Contains(("release-signing", "id-MLDSA87-ECDSA-P384-SHA512"), keys);
        Assert.Contains(("root", "Ed25519"), keys);
        Assert.Contains(("release-signing", "Ed25519"), keys);
        Assert.Equal(2, keys.Count(k => k == ("manifest-signing", "Ed25519")));
        Assert.Equal(new[] { "keys.db" }, Directory.EnumerateFileSystemEntries(_alice.Home).Select(Path.GetFileName).ToArray());

        // The repository's keyids are found from the store's public keys: sign and publish work.
        _alice.Json("release", "sign", Repo, "--role", "root");
        _alice.Json("release", "sign", Repo, "--role", "targets");
        Assert.Equal(1, _alice.Json("release", "publish", Repo).GetProperty("timestamp").GetInt64());
    }

    [Fact]
    public void A_tampered_key_store_row_stops_signing_with_a_key_integrity_error()
    {
        _alice.Json("release", "init", Repo, "--key-type", "ed25519");
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_alice.Home, "keys.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE keys SET wrapped = substr(wrapped, 1, 10) || x'00' || substr(wrapped, 12) WHERE purpose = 'root'";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        Assert.Equal(24, _alice.Run("release", "sign", Repo, "--role", "root").Code);
    }

    [Fact]
    public void A_wrong_passphrase_cannot_unwrap_the_holders_keys()
    {
        _alice.Json("release", "init", Repo, "--key-type", "ed25519");
        Environment.SetEnvironmentVariable("ENIGM_PASSPHRASE", "not it");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Enigm.Cli.Program.Run(["release", "sign", Repo, "--role", "root", "--home", _alice.Home], output, error);
        Environment.SetEnvironmentVariable("ENIGM_PASSPHRASE", ReleaseCli.Passphrase);
        Assert.Equal(20, code);
    }

    [Theory]
    [InlineData("keygen")]
    [InlineData("init")]
    [InlineData("add")]
    [InlineData("delegate")]
    [InlineData("sign")]
    [InlineData("status")]
    [InlineData("publish")]
    [InlineData("timestamp")]
    [InlineData("rotate-key")]
    [InlineData("revoke-key")]
    [InlineData("serve")]
    public void Every_command_has_help(string command)
    {
        var (code, output, _) = _alice.Run("release", command, "--help");
        Assert.Equal(0, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }
}
