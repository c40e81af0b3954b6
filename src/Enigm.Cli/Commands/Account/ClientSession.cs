using System.CommandLine;
using Enigm.Cli.Commands.Keys;
using Enigm.Cli.Output;
using Enigm.Client;
using Enigm.Keys.Protection;

namespace Enigm.Cli.Commands.Account;

/// <summary>
/// What the device commands (<c>init</c>, <c>device</c>, <c>contact</c>, <c>safety-number</c>, <c>send</c>,
/// <c>receive</c>, <c>trust status</c>) share: the device's home (<c>--home</c>, else <c>ENIGM_HOME</c>, else
/// <c>~/.enigm</c>, as for <c>enigm keys</c>), the relay (<c>--server</c>, remembered in the device's state by
/// <c>init</c> and <c>device link</c>), and the passphrase, read as <c>enigm keys</c> reads it
/// (<c>ENIGM_PASSPHRASE</c>, else a prompt without echo; TPM through <c>ENIGM_TPM_TCTI</c>).
/// </summary>
internal static class ClientSession
{
    /// <summary><c>--server URL</c>: the relay (required by init and device link; later it replaces the remembered one).</summary>
    public static Option<string?> Server { get; } = new("--server")
    {
        Description = "Relay URL, e.g. http://127.0.0.1:8443 (needed by init and device link, then remembered).",
        Recursive = true,
    };

    /// <summary>Adds <c>--home</c> and <c>--server</c> to a top-level device command or group.</summary>
    public static T WithDeviceOptions<T>(this T command, CliContext cli)
        where T : Command
    {
        command.Options.Add(cli.Home);
        command.Options.Add(Server);
        return command;
    }

    /// <summary>The cancellation device commands observe: Ctrl-C or SIGTERM (exit 130, nothing committed).</summary>
    public static CancellationToken Cancellation => Interruption.Token;

    public static ClientOptions Options(CliContext cli, ParseResult parse, bool serverRequired = false)
    {
        var home = KeyStoreSession.ResolveHome(cli.HomeOf(parse));
        var server = parse.GetValue(Server);
        if (serverRequired && string.IsNullOrWhiteSpace(server))
            throw new UsageException("--server URL is required here (the relay this device will use; it is remembered afterwards)");
        return new ClientOptions
        {
            Home = home,
            Server = server is null ? null : ParseServer(server),
            AttachmentFolder = null,
        };
    }

    /// <summary>Opens the device in the home; a wrong passphrase is exit 20, no device there exit 95.</summary>
    public static EnigmClient Open(CliContext cli, ParseResult parse, Func<ClientOptions, ClientOptions>? adjust = null)
    {
        var options = Options(cli, parse);
        if (adjust is not null) options = adjust(options);
        return EnigmClient.Open(options, d => ProtectorRegistry.ForDescriptor(d, KeyStoreSession.ReadPassphrase, Environment.GetEnvironmentVariable("ENIGM_TPM_TCTI"), Interruption.Token));
    }

    /// <summary>Runs an operation of the opened client, waiting on it (commands are synchronous).</summary>
    public static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

    public static Uri ParseServer(string text)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new UsageException($"--server '{text}' is not an http:// or https:// URL");
        return uri;
    }

    /// <summary>Options for commands that create a device's key store (init, device link), as <c>keys init</c> takes them.</summary>
    public static ProtectorOptions NewStoreOptions() => new();

    public static IKeyProtector CreateProtector(ParseResult parse, ProtectorOptions options) =>
        KeyArguments.CreateProtector(parse.GetValue(options.Protector)!, parse.GetValue(options.Argon)!, parse.GetValue(options.Pcrs), KeyStoreSession.ReadPassphrase);
}
