using System.Text.Json;
using Enigm.Trust.DeviceLog;
using Xunit;
using static Enigm.Trust.Tests.DeviceLog.DeviceLogTestKit;

namespace Enigm.Trust.Tests.Cli;

/// <summary>
/// <c>enigm trust verify-log</c> reports the position <see cref="DeviceLogVerifier.CheckFile"/> gives: an entry
/// for a bad entry (also when its error carries no sequence), none for a file that fails as a whole.
/// </summary>
public sealed class VerifyLogReportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("enigm-verify-log-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (int Code, JsonElement Json) RunJson(byte[] file)
    {
        var path = Path.Combine(_folder, "log.cbor");
        File.WriteAllBytes(path, file);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Enigm.Cli.Program.Run(["trust", "verify-log", path, "--json"], output, error);
        return (code, JsonDocument.Parse(output.ToString()).RootElement);
    }

    [Fact]
    public void A_truncated_entry_is_reported_at_its_position_with_exit_10()
    {
        var entries = Sample().Entries.Select(e => (byte[])e.Clone()).ToList();
        entries[2] = entries[2][..^1];

        var (code, json) = RunJson(DeviceLogFile.Encode(entries));

        Assert.Equal(10, code);
        Assert.Equal(2, json.GetProperty("firstBadEntry").GetInt64());
        Assert.Equal(5, json.GetProperty("entries").GetInt32());
        Assert.Equal("malformed-input", json.GetProperty("error").GetString());
    }

    [Fact]
    public void A_file_that_is_not_a_log_has_no_bad_entry()
    {
        var (code, json) = RunJson([0x82, 0x01, 0x02]);

        Assert.Equal(10, code);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("firstBadEntry").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("entries").ValueKind);
    }
}
