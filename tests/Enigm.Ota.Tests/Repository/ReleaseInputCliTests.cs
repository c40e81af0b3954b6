using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Enigm.Ota.Tests.Repository;

/// <summary>
/// <c>enigm release</c> with bad input: a repository path that is a file, lifetimes that cannot be
/// represented, key files where they cannot be written, a bad listen address. Each is one line and
/// its family's exit code, never 70 ("internal error"), and nothing is overwritten.
/// </summary>
[Collection(PassphraseEnvironment.Name)]
public sealed class ReleaseInputCliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("enigm-release-input-").FullName;
    private readonly ReleaseCli _holder;

    public ReleaseInputCliTests() => _holder = new ReleaseCli(Path.Combine(_folder, "home"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string AFile()
    {
        var file = Path.Combine(_folder, "a-file");
        File.WriteAllText(file, "precious");
        return file;
    }

    private void OneLineFailure(int expected, params string[] args)
    {
        var (code, _, error) = _holder.Run(args);
        Assert.True(code == expected, $"exit {code}, expected {expected}: {error}");
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.DoesNotContain("internal error", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Init_onto_a_file_exits_39_and_leaves_it_alone()
    {
        var file = AFile();
        OneLineFailure(39, "release", "init", file, "--key-type", "ed25519");
        OneLineFailure(39, "release", "init", Path.Combine(file, "repo"), "--key-type", "ed25519");
        Assert.Equal("precious", File.ReadAllText(file));
    }

    [Theory]
    [InlineData("root=9000y")]
    [InlineData("timestamp=0m")]
    public void A_lifetime_out_of_range_is_a_usage_error(string expires)
    {
        OneLineFailure(2, "release", "init", Path.Combine(_folder, "repo"), "--key-type", "ed25519", "--expires", expires);
        Assert.False(Directory.Exists(Path.Combine(_folder, "repo")));
    }

    [Fact]
    public void Keygen_out_into_a_missing_folder_creates_it()
    {
        var key = Path.Combine(_folder, "new", "keys", "targets.json");
        _holder.Json("release", "keygen", "--role", "targets", "--key-type", "ed25519", "--out", key);
        Assert.Contains("\"keytype\"", File.ReadAllText(key), StringComparison.Ordinal);
    }

    [Fact]
    public void Keygen_out_onto_an_existing_file_or_folder_is_refused()
    {
        var file = AFile();
        OneLineFailure(39, "release", "keygen", "--role", "targets", "--key-type", "ed25519", "--out", file);
        Assert.Equal("precious", File.ReadAllText(file));
        OneLineFailure(39, "release", "keygen", "--role", "targets", "--key-type", "ed25519", "--out", _folder);
    }

    [Fact]
    public void A_home_that_is_a_file_exits_26()
    {
        var file = AFile();
        var (code, _, error) = new ReleaseCli(file).Run("release", "init", Path.Combine(_folder, "repo"), "--key-type", "ed25519");
        Assert.True(code == 26, $"exit {code}: {error}");
        Assert.Equal("precious", File.ReadAllText(file));
    }

    [Fact]
    public void Serve_with_a_bad_address_is_a_usage_error_and_a_busy_port_exits_39()
    {
        var repo = Path.Combine(_folder, "repo");
        _holder.Json("release", "init", repo, "--key-type", "ed25519");
        _holder.Json("release", "sign", repo, "--role", "root");
        _holder.Json("release", "sign", repo, "--role", "targets");
        _holder.Json("release", "publish", repo);

        OneLineFailure(2, "release", "serve", repo, "--urls", "not-a-url");

        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        OneLineFailure(39, "release", "serve", repo, "--urls", $"http://127.0.0.1:{port}");
    }

    [Fact]
    public void Add_of_a_folder_or_missing_artifact_exits_39()
    {
        var repo = Path.Combine(_folder, "repo");
        _holder.Json("release", "init", repo, "--key-type", "ed25519");
        OneLineFailure(39, "release", "add", repo, _folder, "--version", "1.0.0", "--channel", "stable");
        OneLineFailure(39, "release", "add", repo, Path.Combine(_folder, "none.bin"), "--version", "1.0.0", "--channel", "stable");
    }
}
