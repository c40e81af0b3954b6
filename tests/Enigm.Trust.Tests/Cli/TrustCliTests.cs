using System.Text.Json;
using Enigm.Trust.DeviceLog;
using Xunit;
using static Enigm.Trust.Tests.DeviceLog.DeviceLogTestKit;

namespace Enigm.Trust.Tests.Cli;

/// <summary><c>enigm trust verify-log</c> in process: the trusted set, the first bad entry and the exit codes.</summary>
public sealed class TrustCliTests : IDisposable
{
    private static readonly Lazy<IReadOnlyList<byte[]>> Log = new(() => Sample().Entries);

    private readonly string _folder = Directory.CreateTempSubdirectory("enigm-trust-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Enigm.Cli.Program.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Verify_log_prints_the_trusted_devices_as_json()
    {
        var path = Write("log.cbor", DeviceLogFile.Encode(Log.Value));
        var (code, output, error) = Run("trust", "verify-log", path, "--json");
        Assert.True(code == 0, error);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.Equal(["phone", "laptop"], json.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("id").GetString()));
        var laptop = json.GetProperty("devices")[1];
        Assert.Equal("Work laptop", laptop.GetProperty("name").GetString());
        Assert.Equal(3, laptop.GetProperty("keySince").GetInt64());
        Assert.Matches("^[0-9a-f]{16}$", laptop.GetProperty("keyFingerprint").GetString()!);
        Assert.Equal("tablet", json.GetProperty("revokedDevices")[0].GetProperty("id").GetString());
        Assert.Equal(4, json.GetProperty("head").GetProperty("sequence").GetInt64());
    }

    [Fact]
    public void Verify_log_narrates_a_table_without_json()
    {
        var (code, output, _) = Run("trust", "verify-log", Write("log.cbor", DeviceLogFile.Encode(Log.Value)));
        Assert.Equal(0, code);
        Assert.Contains("[PASS] device log verifies: 5 entries", output, StringComparison.Ordinal);
        Assert.Contains("Work laptop", output, StringComparison.Ordinal);
        Assert.Contains("revoked tablet", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tampered_entry_is_reported_with_its_position_and_exit_43()
    {
        var entries = Log.Value.Select(e => (byte[])e.Clone()).ToList();
        entries[3][^20] ^= 0x40;
        var (code, output, _) = Run("trust", "verify-log", Write("bad.cbor", DeviceLogFile.Encode(entries)), "--json");
        Assert.Equal(43, code);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.False(json.GetProperty("ok").GetBoolean());
        Assert.Equal(3, json.GetProperty("firstBadEntry").GetInt64());
        Assert.Equal("device-log-signature", json.GetProperty("error").GetString());
    }

    [Fact]
    public void A_gap_exits_42_and_a_rollback_or_fork_against_last_seen_exit_41_and_40()
    {
        var gap = Write("gap.cbor", DeviceLogFile.Encode([Log.Value[0], Log.Value[2]]));
        Assert.Equal(42, Run("trust", "verify-log", gap).Code);

        var head = $"4:{Convert.ToHexStringLower(Hash(Log.Value[4]))}";
        var short3 = Write("short.cbor", DeviceLogFile.Encode(Log.Value.Take(3).ToList()));
        Assert.Equal(41, Run("trust", "verify-log", short3, "--last-seen", head).Code);
        var otherHead = $"2:{new string('0', 64)}";
        Assert.Equal(40, Run("trust", "verify-log", short3, "--last-seen", otherHead).Code);
        Assert.Equal(0, Run("trust", "verify-log", Write("full.cbor", DeviceLogFile.Encode(Log.Value)), "--last-seen", head).Code);
    }

    [Fact]
    public void Garbage_or_a_missing_file_is_malformed_input_and_a_bad_head_is_a_usage_error()
    {
        var (code, output, _) = Run("trust", "verify-log", Write("junk", [0xde, 0xad]), "--json");
        Assert.Equal(10, code);
        Assert.Equal("malformed-input", JsonDocument.Parse(output).RootElement.GetProperty("error").GetString());
        Assert.Equal(10, Run("trust", "verify-log", Path.Combine(_folder, "absent")).Code);
        Assert.Equal(2, Run("trust", "verify-log", Write("log.cbor", DeviceLogFile.Encode(Log.Value)), "--last-seen", "x:y").Code);
    }

    [Fact]
    public void An_untrusted_signer_exits_44()
    {
        var entries = Log.Value.ToList();
        entries.Add(Raw(5, Hash(entries[4]), DeviceLogEntryKind.AddDevice, "evil", "Evil", Encoded(Key(6)), "", [("tablet", Key(3)), ("evil", Key(6))]));
        var (code, output, _) = Run("trust", "verify-log", Write("revoked.cbor", DeviceLogFile.Encode(entries)));
        Assert.Equal(44, code);
        Assert.Contains("rejected at entry 5: untrusted-signer", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Trust_help_lists_verify_log()
    {
        var (code, output, _) = Run("trust", "--help");
        Assert.Equal(0, code);
        Assert.Contains("verify-log", output, StringComparison.Ordinal);
    }
}
