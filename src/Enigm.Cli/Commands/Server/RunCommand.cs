using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Keys;
using Enigm.Cli.Output;
using Enigm.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace Enigm.Cli.Commands.Server;

/// <summary>
/// <c>enigm server run</c>: one relay node until Ctrl-C or SIGTERM, then a clean stop (delivery sockets closed, store
/// flushed). Prints the listening URLs and where the admin credential is; logs go to stderr (JSON lines with
/// <c>--json</c>) and never hold message bodies, tokens or key material.
/// </summary>
internal static class RunCommand
{
    /// <summary>Optional: the log key store's passphrase (else a generated file in the data folder).</summary>
    public const string LogKeyPassphraseVariable = "ENIGM_RELAY_LOG_KEY_PASSPHRASE";

    /// <summary>Optional: the admin credential (else a generated file in the data folder).</summary>
    public const string AdminCredentialVariable = "ENIGM_RELAY_ADMIN_CREDENTIAL";

    public static Command Build(CliContext cli)
    {
        var db = new Option<string?>("--db") { Description = "Storage: sqlite:PATH (default: relay.db in the data folder) or postgres:CONNSTR." };
        var urls = new Option<string>("--urls") { Description = "Public listener address(es), ';'-separated.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var adminUrls = new Option<string>("--admin-urls") { Description = "Admin listener address(es), ';'-separated (keep it on loopback).", DefaultValueFactory = _ => "http://127.0.0.1:8081" };
        var data = new Option<string?>("--data") { Description = "Data folder: admin credential and log key (default: relay/ in $ENIGM_HOME, else ~/.enigm)." };
        var ota = new Option<string?>("--ota") { Description = "Also serve this published OTA repository under /ota/metadata and /ota/targets." };
        var serverId = new Option<string>("--server-id") { Description = "Name bound into auth challenges and the transparency log id.", DefaultValueFactory = _ => "enigm-relay" };
        var logKeyProtector = new Option<string>("--log-key-protector")
        {
            Description = "What protects a new transparency-log key store: passphrase (ENIGM_RELAY_LOG_KEY_PASSPHRASE or a generated file) or tpm (TCTI from ENIGM_TPM_TCTI).",
            DefaultValueFactory = _ => "passphrase",
        };
        logKeyProtector.AcceptOnlyFromAmong("passphrase", "tpm");
        return cli.Command(
            "run",
            "Run a relay node until Ctrl-C or SIGTERM.",
            parse => Run(cli, parse, parse.GetValue(db), parse.GetValue(urls)!, parse.GetValue(adminUrls)!, parse.GetValue(data), parse.GetValue(ota), parse.GetValue(serverId)!, parse.GetValue(logKeyProtector) == "tpm"),
            db,
            urls,
            adminUrls,
            data,
            ota,
            serverId,
            logKeyProtector);
    }

    private static int Run(CliContext cli, ParseResult parse, string? db, string urls, string adminUrls, string? data, string? ota, string serverId, bool logKeyInTpm)
    {
        var json = parse.GetValue(cli.Json);
        var folder = Path.GetFullPath(data ?? Path.Combine(KeyStoreSession.ResolveHome(null), "relay"));
        var spec = db ?? RelayStoreSpec.SqlitePrefix + Path.Combine(folder, "relay.db");
        using var interrupt = new Interrupt();
        var stop = interrupt.Token;
        using var logging = LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(LogLevel.Information);
            builder.AddFilter("Microsoft", LogLevel.Warning);
            if (json) builder.AddJsonConsole(o => o.UseUtcTimestamp = true);
            else builder.AddSimpleConsole(o => o.SingleLine = true);
            builder.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        });

        System.IO.Directory.CreateDirectory(folder);
        var store = RelayStoreSpec.Open(spec);
        try
        {
            var options = new RelayServerOptions
            {
                Store = store,
                DataDirectory = folder,
                PublicUrls = Split(urls, "--urls"),
                AdminUrls = Split(adminUrls, "--admin-urls"),
                AdminCredential = Environment.GetEnvironmentVariable(AdminCredentialVariable) is { Length: > 0 } credential ? credential : null,
                LogKeyPassphrase = Environment.GetEnvironmentVariable(LogKeyPassphraseVariable) is { Length: > 0 } passphrase ? passphrase : null,
                LogKeyProtection = logKeyInTpm ? RelayLogKeyProtection.Tpm : RelayLogKeyProtection.Passphrase,
                ServerId = serverId,
                OtaRepository = ota,
                LoggerFactory = logging,
            };
            var server = RelayServer.StartAsync(options, stop).GetAwaiter().GetResult();
            try
            {
                Report(cli, parse, server, spec, folder);
                stop.WaitHandle.WaitOne();
            }
            finally
            {
                server.StopAsync().GetAwaiter().GetResult();
            }
        }
        finally
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return ExitCodes.Ok;
    }

    private static void Report(CliContext cli, ParseResult parse, RelayServer server, string spec, string folder)
    {
        var narrator = cli.Narrator(parse);
        narrator.Line($"  relay listening on {string.Join(", ", server.PublicUrls)} (admin: {string.Join(", ", server.AdminUrls)})");
        narrator.Line($"  storage: {RelayStoreSpec.Describe(spec)}; data folder: {folder}");
        narrator.Line(server.AdminCredentialPath is { } path ? $"  admin credential: {path}" : $"  admin credential: from {AdminCredentialVariable}");
        narrator.Line($"  transparency log: {server.LogId}, key {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(server.LogPublicKey).AsSpan(0, 8))}; Ctrl+C stops");
        narrator.WriteJson(new JsonObject
        {
            ["urls"] = new JsonArray([.. server.PublicUrls.Select(a => (JsonNode)JsonValue.Create(a))]),
            ["adminUrls"] = new JsonArray([.. server.AdminUrls.Select(a => (JsonNode)JsonValue.Create(a))]),
            ["adminCredentialFile"] = server.AdminCredentialPath,
            ["dataFolder"] = folder,
            ["logId"] = server.LogId,
            ["logPublicKey"] = Convert.ToBase64String(server.LogPublicKey),
        });
        cli.Output.Flush();
    }

    private static string[] Split(string urls, string option)
    {
        var parts = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length > 0 ? parts : throw new UsageException($"{option} needs at least one address (e.g. http://127.0.0.1:8080).");
    }
}
