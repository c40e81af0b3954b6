using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Enigm.Cli.Output;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Suites;
using Enigm.Ota.Client;

namespace Enigm.Cli.Commands.Update;

/// <summary>The options every <c>enigm update</c> subcommand takes (recursive on the group), and the session they open.</summary>
internal sealed class UpdateOptions
{
    public Option<string> Repo { get; } = new("--repo") { Description = "Repository: an http(s) base URL or a folder.", Required = true, Recursive = true };

    public Option<string> Device { get; } = new("--device") { Description = "Device profile JSON (id, model, channel, installed_version, os_version, trust_state).", Required = true, Recursive = true };

    public Option<string?> State { get; } = new("--state") { Description = "Folder of the device's trusted metadata (default: .enigm-update beside the device file).", Recursive = true };

    public Option<string?> Root { get; } = new("--root") { Description = "Initial trusted root.json, used once when the state folder has no root yet.", Recursive = true };

    public Option<string[]> Refuse { get; } = new("--refuse-algorithm")
    {
        Description = "Refuse keys of this algorithm (repeatable, e.g. Ed25519 once a fleet is post-quantum only); a composite key still counts while one of its halves is accepted; metadata trusted only through refused keys exits 15.",
        AllowMultipleArgumentsPerToken = true,
        Recursive = true,
    };

    public Option<string?> TransferTimeout { get; } = new("--transfer-timeout")
    {
        Description = "Longest time one file may take to download, from request to last byte, e.g. 90s, 10m, 2h (default 1h); slower exits 50 (slow retrieval).",
        Recursive = true,
    };

    public Option<string?> MinRate { get; } = new("--min-rate")
    {
        Description = "Lowest average download rate in bytes/s, enforced after 10 s (default 4096; 0 turns it off); slower exits 50 (slow retrieval).",
        Recursive = true,
    };

    public void AddTo(Command update)
    {
        update.Options.Add(TransferTimeout);
        update.Options.Add(MinRate);
        update.Options.Add(Refuse);
        update.Options.Add(Repo);
        update.Options.Add(Device);
        update.Options.Add(State);
        update.Options.Add(Root);
    }

    /// <summary>Opens the session (and runs the TUF refresh) for a parsed command line.</summary>
    public UpdateSession Open(ParseResult p) =>
        UpdateSession.Open(p.GetValue(Repo)!, p.GetValue(Device)!, p.GetValue(State), p.GetValue(Root), PolicyFor(p.GetValue(Refuse)), LimitsFor(p));

    /// <summary>The transfer limits (TUF slow retrieval) from <c>--transfer-timeout</c> and <c>--min-rate</c>.</summary>
    private TransferLimits LimitsFor(ParseResult p)
    {
        var limits = TransferLimits.Default;
        if (p.GetValue(TransferTimeout) is { } timeout) limits = limits with { FileTimeout = Duration(timeout) };
        if (p.GetValue(MinRate) is { } rate)
        {
            limits = limits with
            {
                MinimumBytesPerSecond = long.TryParse(rate, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
                    ? bytes
                    : throw new UsageException($"--min-rate '{rate}' is not a whole number of bytes per second"),
            };
        }

        return limits;
    }

    /// <summary>A positive duration: a whole number with s, m or h.</summary>
    private static TimeSpan Duration(string text)
    {
        var match = Regex.Match(text, "^([0-9]{1,7})([smh])$");
        var value = match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        if (value == 0) throw new UsageException($"--transfer-timeout '{text}' is not a positive duration such as 90s, 10m or 2h");
        return match.Groups[2].Value switch
        {
            "s" => TimeSpan.FromSeconds(value),
            "m" => TimeSpan.FromMinutes(value),
            _ => TimeSpan.FromHours(value),
        };
    }

    /// <summary>The default suite policy, minus the algorithms named by <c>--refuse-algorithm</c>.</summary>
    private static SuitePolicy PolicyFor(string[]? refused)
    {
        var policy = SuitePolicy.Default;
        foreach (var name in refused ?? [])
        {
            var algorithm = CryptoAlgorithm.All.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"unknown algorithm '{name}' (known: {string.Join(", ", CryptoAlgorithm.All.Select(a => a.Name))})");
            policy = policy.RefuseAlgorithm(algorithm);
        }

        return policy;
    }
}
