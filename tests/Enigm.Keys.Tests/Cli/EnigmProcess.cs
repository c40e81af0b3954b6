using System.Diagnostics;

namespace Enigm.Keys.Tests.Cli;

/// <summary>Runs the real <c>enigm</c> binary (built beside the tests) as a child process.</summary>
internal static class EnigmProcess
{
    public static Process Start(string home, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        StartDll("enigm.dll", home, environment, args);

    /// <summary>Runs the test-only crash host (tests/Enigm.Keys.CrashHost), which pauses a key ring operation at a named step.</summary>
    public static Process StartCrashHost(string home, params string[] args) =>
        StartDll("Enigm.Keys.CrashHost.dll", home, null, args);

    private static Process StartDll(string dll, string home, IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["ENIGM_HOME"] = home;
        info.Environment["ENIGM_PASSPHRASE"] = "crash test passphrase";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        return Process.Start(info)!;
    }

    public static (int Code, string Output, string Error) Run(string home, params string[] args)
    {
        using var process = Start(home, null, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) process.Kill(entireProcessTree: true);
        return (process.ExitCode, output.Result, error.Result);
    }
}
