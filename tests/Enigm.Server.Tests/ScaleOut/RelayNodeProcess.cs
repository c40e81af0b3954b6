using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Enigm.Server.Tests.ScaleOut;

/// <summary>
/// One relay node as a separate process: the built <c>enigm</c> binary running <c>enigm server run --json</c> on free
/// loopback ports. Its URLs come from the JSON document it prints; its logs (stderr) are kept for failure messages.
/// </summary>
public sealed class RelayNodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private RelayNodeProcess(Process process, string url, string adminUrl)
    {
        _process = process;
        Url = url;
        AdminUrl = adminUrl;
    }

    public string Url { get; }

    public string AdminUrl { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>What the node logged so far (for assertion messages).</summary>
    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    /// <summary>Starts <c>enigm server run</c> on <paramref name="db"/> and waits until it prints its URLs.</summary>
    public static async Task<RelayNodeProcess> StartAsync(string db, string dataFolder, string serverId, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "enigm.dll"));
        foreach (var arg in (string[])["server", "run", "--db", db, "--data", dataFolder, "--server-id", serverId, "--urls", "http://127.0.0.1:0", "--admin-urls", "http://127.0.0.1:0", "--json"])
            info.ArgumentList.Add(arg);
        info.Environment["ENIGM_HOME"] = dataFolder;
        foreach (var (name, value) in environment) info.Environment[name] = value;

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start enigm server run");
        var log = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var text = new StringBuilder();
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                text.AppendLine(line);
                if (line != "}") continue;
                var document = JsonDocument.Parse(text.ToString()).RootElement;
                var node = new RelayNodeProcess(process, document.GetProperty("urls")[0].GetString()!, document.GetProperty("adminUrls")[0].GetString()!);
                lock (log) node._log.Append(log);
                process.ErrorDataReceived += (_, e) =>
                {
                    if (e.Data is null) return;
                    lock (node._log) node._log.AppendLine(e.Data);
                };
                _ = DrainAsync(process.StandardOutput);
                return node;
            }
        }
        catch (OperationCanceledException)
        {
            // Reported below with what it printed.
        }

        process.Kill(entireProcessTree: true);
        process.Dispose();
        string logged;
        lock (log) logged = log.ToString();
        throw new InvalidOperationException($"enigm server run did not print its URLs; stdout: {text}; stderr: {logged}");
    }

    /// <summary>SIGKILL: no shutdown, no flush, whatever was in flight is cut off.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }

    private static async Task DrainAsync(StreamReader output)
    {
        try
        {
            while (await output.ReadLineAsync() is not null)
            {
                // Keeps the pipe from filling; everything the node says that matters is in the JSON document or stderr.
            }
        }
        catch (ObjectDisposedException)
        {
            // The process was disposed.
        }
    }
}
