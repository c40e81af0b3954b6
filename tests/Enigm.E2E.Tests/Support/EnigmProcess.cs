using System.Diagnostics;
using System.Globalization;

namespace Enigm.E2E.Tests.Support;

/// <summary>The outcome of one <c>enigm</c> run: exit code, stdout, stderr.</summary>
internal sealed record EnigmResult(int Code, string Output, string Error)
{
    public override string ToString() => $"exit {Code}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs the built <c>enigm</c> binary (enigm.dll next to the tests) as a separate process, the way a user
/// does: nothing is called in-process, so every test crosses real process, file and socket boundaries.
/// </summary>
internal static class EnigmProcess
{
    /// <summary>The passphrase every test home is created and opened with (handed over as a user would in a script).</summary>
    public const string Passphrase = "correct horse battery staple e2e";

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "enigm.dll");

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["ENIGM_PASSPHRASE"] = Passphrase;
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment.Remove("ENIGM_HOME");
        if (environment is not null)
        {
            foreach (var (name, value) in environment) info.Environment[name] = value;
        }

        return info;
    }

    /// <summary>Runs to completion (killed after <paramref name="timeout"/>, default two minutes).</summary>
    public static async Task<EnigmResult> RunAsync(IEnumerable<string> args, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null, string? stdin = null)
    {
        using var process = Process.Start(StartInfo(args, environment))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"enigm {string.Join(' ', args)} did not finish in time:\n{await output}\n{await error}");
        }

        return new EnigmResult(process.ExitCode, await output, await error);
    }

    public static Task<EnigmResult> RunAsync(params string[] args) => RunAsync(args, null);

    /// <summary>A port on 127.0.0.1 that was free a moment ago (the OS picks it).</summary>
    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
