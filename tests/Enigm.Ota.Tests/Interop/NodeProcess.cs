using System.Diagnostics;

namespace Enigm.Ota.Tests.Interop;

/// <summary>Runs node / bash for the interop tests with a timeout, capturing output.</summary>
internal static class NodeProcess
{
    /// <summary>The checkout root (the folder holding Enigm.slnx).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Enigm.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Enigm.slnx not found above the test binaries.");
    }

    public static bool NodeAvailable()
    {
        try
        {
            return Run("node", ["--version"], TimeSpan.FromSeconds(30)).Code == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public static (int Code, string Output, string Error) Run(string file, IReadOnlyList<string> args, TimeSpan timeout, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, output.Result, error.Result + $"\n(timed out after {timeout})");
        }

        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }
}
