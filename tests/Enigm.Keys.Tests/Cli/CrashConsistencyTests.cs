using System.Text.Json;
using Xunit;

namespace Enigm.Keys.Tests.Cli;

/// <summary>
/// Kills a real process between the steps of a rotation and checks the store afterwards with the real
/// <c>enigm</c>: exactly one version of the key is active, the old or the new one, and the audit log
/// verifies. The process is the test-only crash host, which rotates through a pausing decorator over the
/// public <see cref="Enigm.Keys.Storage.IKeyStore"/> seam (nothing in the shipped binary can pause).
/// </summary>
public sealed class CrashConsistencyTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("enigm-crash-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Theory]
    [InlineData("before-transaction", 1)]
    [InlineData("old-deactivated", 1)]
    [InlineData("new-inserted", 1)]
    [InlineData("committed", 2)]
    public void A_rotation_killed_between_steps_leaves_exactly_one_active_version(string step, int expectedActiveVersion)
    {
        Assert.Equal(0, EnigmProcess.Run(_home, "keys", "init", "--argon2", "interactive").Code);
        var generated = EnigmProcess.Run(_home, "keys", "generate", "--purpose", "device-signing", "--json");
        Assert.Equal(0, generated.Code);
        var series = JsonDocument.Parse(generated.Output).RootElement.GetProperty("series").GetString()!;

        var marker = Path.Combine(_home, "paused-at");
        using (var rotation = EnigmProcess.StartCrashHost(_home, "rotate", _home, series, step))
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!File.Exists(marker) && !rotation.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(50);
            // Read stderr only on failure: reading it waits for the process to close it.
            if (!File.Exists(marker)) Assert.Fail($"the rotation never reached {step}: {rotation.StandardError.ReadToEnd()}");
            var pausedFor = DateTime.UtcNow;
            rotation.Kill(entireProcessTree: true);
            Assert.True(rotation.WaitForExit(TimeSpan.FromSeconds(30)), "the paused process did not die");
            Assert.True(DateTime.UtcNow - pausedFor < TimeSpan.FromSeconds(30));
        }

        var listed = EnigmProcess.Run(_home, "keys", "list", "--json");
        Assert.True(listed.Code == 0, listed.Error);
        var versions = JsonDocument.Parse(listed.Output).RootElement.GetProperty("keys").EnumerateArray()
            .Where(k => k.GetProperty("series").GetString() == series).ToList();
        var active = Assert.Single(versions, k => k.GetProperty("state").GetString() == "active");
        Assert.Equal(expectedActiveVersion, active.GetProperty("version").GetInt32());
        Assert.Equal(expectedActiveVersion, versions.Count);

        var audit = EnigmProcess.Run(_home, "keys", "audit", "verify", "--json");
        Assert.True(audit.Code == 0, audit.Output + audit.Error);
    }
}
