using System.Diagnostics;
using Enigm.Cli.Output;
using Enigm.Cli.Tests.Support;
using Xunit;

namespace Enigm.Cli.Tests;

/// <summary>Ctrl-C during the demo removes its temporary folders and exits 130 (issue 11 §4).</summary>
public sealed class DemoInterruptTests
{
    [Fact]
    public async Task Ctrl_C_during_the_demo_deletes_its_temporary_folders_and_exits_130()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        using var temp = new TempFolder();
        var tmp = Directory.CreateDirectory(Path.Combine(temp.Path, "tmp")).FullName;
        using var demo = Support.Enigm.Start(new Dictionary<string, string> { ["TMPDIR"] = tmp }, "demo", "--chapter", "keys", "--chapter", "ota");
        var error = demo.StandardError.ReadToEndAsync();
        _ = demo.StandardOutput.ReadToEndAsync();

        // Signal while a chapter holds a temporary folder.
        var clock = Stopwatch.StartNew();
        while (DemoFolders(tmp).Length == 0 && !demo.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(20);
        Assert.False(demo.HasExited, "the demo finished before it could be interrupted");
        Assert.NotEmpty(DemoFolders(tmp));
        using (var kill = Process.Start("kill", [InterruptSignal(demo.Id), demo.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();

        if (!demo.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            demo.Kill(entireProcessTree: true);
            Assert.Fail("the demo did not stop within a minute of Ctrl-C");
        }

        Assert.Equal(ExitCodes.Interrupted, demo.ExitCode);
        Assert.Empty(DemoFolders(tmp));
        Assert.Contains("interrupted", Assert.Single(Support.Enigm.Lines(await error)), StringComparison.Ordinal);
    }

    private static string[] DemoFolders(string tmp) => Directory.GetDirectories(tmp, "enigm-demo-*");

    /// <summary>
    /// SIGINT, unless the child inherited it as ignored (a shell starts background jobs with SIGINT
    /// ignored, and CI may run the tests that way); then SIGTERM, which goes through the same handler.
    /// </summary>
    private static string InterruptSignal(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
            var ignored = line is null ? 0UL : ulong.Parse(line[7..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            return (ignored & 0x2UL) != 0 ? "-TERM" : "-INT";
        }
        catch (IOException)
        {
            return "-INT";
        }
    }
}
