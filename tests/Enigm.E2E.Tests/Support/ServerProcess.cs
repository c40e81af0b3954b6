using System.Diagnostics;
using System.Text;
using Enigm.Relay;

namespace Enigm.E2E.Tests.Support;

/// <summary>
/// A real <c>enigm server run</c> process on loopback: public and admin listeners on free ports, its
/// stdout and stderr appended to log files (kept across restarts, scanned by the tests), killed with
/// SIGKILL on demand and restarted over the same database.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly string _db;
    private readonly string _logFolder;
    private readonly StringBuilder _log = new();
    private Process? _process;

    public ServerProcess(string db, string logFolder)
    {
        _db = db;
        _logFolder = logFolder;
        Port = EnigmProcess.FreePort();
        AdminPort = EnigmProcess.FreePort();
    }

    public int Port { get; }

    public int AdminPort { get; }

    public string Url => EnigmProcess.Invariant($"http://127.0.0.1:{Port}");

    public string AdminUrl => EnigmProcess.Invariant($"http://127.0.0.1:{AdminPort}");

    /// <summary>The admin credential, handed to the server in ENIGM_RELAY_ADMIN_CREDENTIAL.</summary>
    public string AdminToken { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>The relay's data folder (its transparency log key and passphrase), kept across restarts.</summary>
    public string DataFolder => Path.Combine(_logFolder, "data");

    public string StdoutPath => Path.Combine(_logFolder, "server.stdout.log");

    public string StderrPath => Path.Combine(_logFolder, "server.stderr.log");

    /// <summary>Everything the server printed so far (for assertion messages).</summary>
    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    public async Task StartAsync()
    {
        var info = EnigmProcess.StartInfo(
            ["server", "run", "--db", _db, "--urls", Url, "--admin-urls", AdminUrl, "--data", DataFolder],
            new Dictionary<string, string> { ["ENIGM_RELAY_ADMIN_CREDENTIAL"] = AdminToken });
        _process = Process.Start(info)!;
        var stdout = new StreamWriter(StdoutPath, append: true) { AutoFlush = true };
        var stderr = new StreamWriter(StderrPath, append: true) { AutoFlush = true };
        _process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        _process.Exited += (_, _) =>
        {
            stdout.Dispose();
            stderr.Dispose();
        };
        _process.EnableRaisingEvents = true;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitReadyAsync();
    }

    /// <summary>SIGKILL: no shutdown hook runs, nothing is flushed that was not already on disk.</summary>
    public void Kill()
    {
        if (_process is null) return;
        using (var kill = Process.Start("kill", ["-KILL", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    /// <summary>A graceful stop (SIGTERM), e.g. before the database folder is scanned.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        _process = null;
    }

    public HttpClient Admin()
    {
        var client = new HttpClient { BaseAddress = new Uri(AdminUrl) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", AdminToken);
        return client;
    }

    public HttpClient Public() => new() { BaseAddress = new Uri(Url) };

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        if (_process is not null) await _process.WaitForExitAsync();
        _process?.Dispose();
    }

    private void Append(StreamWriter file, string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.AppendLine(line);
            file.WriteLine(line);
        }
    }

    private async Task WaitReadyAsync()
    {
        using var http = Public();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process!.HasExited) throw new InvalidOperationException($"enigm server run exited {_process.ExitCode}:\n{Log}");
            try
            {
                using var response = await http.GetAsync(RelayRoutes.TreeHead);
                if ((int)response.StatusCode < 500) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"enigm server run did not answer within 60 s:\n{Log}");
    }
}
