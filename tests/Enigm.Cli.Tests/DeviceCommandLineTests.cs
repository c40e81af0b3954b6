using Enigm.Cli.Output;
using Enigm.Cli.Tests.Support;
using Xunit;
using static Enigm.Cli.Tests.Support.Enigm;

namespace Enigm.Cli.Tests;

/// <summary>
/// The device commands (init, device, contact, safety-number, send, receive, trust status) without a relay: help,
/// usage errors, and failures that get their own documented code and one line on stderr, never exit 70.
/// (Against a real relay: tests/Enigm.E2E.Tests.)
/// </summary>
public sealed class DeviceCommandLineTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("init")]
    [InlineData("device", "link")]
    [InlineData("device", "approve")]
    [InlineData("device", "list")]
    [InlineData("device", "revoke")]
    [InlineData("device", "prekeys")]
    [InlineData("contact", "add")]
    [InlineData("contact", "verify")]
    [InlineData("contact", "list")]
    [InlineData("safety-number")]
    [InlineData("send")]
    [InlineData("receive")]
    [InlineData("trust", "status")]
    public void Every_device_command_has_help_with_home_server_and_json(params string[] command)
    {
        var (code, output, error) = Run([.. command, "--help"]);
        Assert.True(code == ExitCodes.Ok, error);
        foreach (var option in new[] { "--home", "--server", "--json" }) Assert.Contains(option, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("init", "--name", "alice")]
    [InlineData("init", "--name", "alice", "--server", "ftp://relay.example")]
    [InlineData("init", "--name", "", "--server", "http://127.0.0.1:1")]
    [InlineData("init", "--server", "http://127.0.0.1:1")]
    [InlineData("device", "link")]
    [InlineData("device", "link", "--server", "http://127.0.0.1:1", "--wait", "-5")]
    [InlineData("device", "approve")]
    [InlineData("device", "approve", "code", "--wait", "0")]
    [InlineData("send", "bob")]
    [InlineData("receive", "--wait", "-1")]
    [InlineData("receive", "--wait", "many")]
    [InlineData("contact", "verify", "bob", "--safety-number", "1", "--qr", "x")]
    public void Bad_command_lines_are_usage_errors_that_name_the_command_s_help(params string[] args)
    {
        var (code, _, error) = Run([.. args, "--home", _temp.Path]);
        Assert.True(code == ExitCodes.Usage, $"exit {code}: {error}");
        var line = Assert.Single(Lines(error));
        Assert.StartsWith("enigm: ", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zz")]
    [InlineData("0123456789abcdef")]
    [InlineData("éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé")]
    public void A_contact_account_id_that_is_not_64_hex_digits_is_malformed_input(string account)
    {
        var (code, _, error) = Run("contact", "add", "bob", "--account", account, "--home", _temp.Path);
        Assert.Equal(ExitCodes.MalformedInput, code);
        Assert.Contains("64 hex digits", Assert.Single(Lines(error)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("device", "list")]
    [InlineData("contact", "list")]
    [InlineData("safety-number", "bob")]
    [InlineData("send", "bob", "hello")]
    [InlineData("receive")]
    [InlineData("trust", "status")]
    public void Commands_in_a_home_without_a_device_say_so_with_the_client_state_code(params string[] args)
    {
        var (code, output, error) = Run([.. args, "--home", _temp.Path, "--json"]);
        Assert.True(code == ExitCodes.ClientState, $"exit {code}: {error}");
        Assert.Single(Lines(error));
        Assert.Contains("\"exit\":95", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_against_a_relay_that_is_not_there_is_relay_unreachable_and_leaves_no_device_behind()
    {
        var home = Path.Combine(_temp.Path, "home");
        using var init = Start(new Dictionary<string, string> { ["ENIGM_PASSPHRASE"] = "a passphrase for the test" }, "init", "--name", "alice", "--server", "http://127.0.0.1:1", "--argon2", "interactive", "--home", home);
        init.StandardInput.Close();
        var error = init.StandardError.ReadToEndAsync();
        _ = init.StandardOutput.ReadToEnd();
        Assert.True(init.WaitForExit(TimeSpan.FromMinutes(1)), "init did not finish");
        Assert.True(init.ExitCode == ExitCodes.RelayUnreachable, $"exit {init.ExitCode}: {await error}");
        Assert.Single(Lines(await error));
        Assert.False(Client.EnigmClient.Exists(home));
    }
}
