using Enigm.Crypto.Errors;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Errors;
using Xunit;
using Xunit.Abstractions;
using static Enigm.Trust.Tests.DeviceLog.DeviceLogTestKit;

namespace Enigm.Trust.Tests.DeviceLog;

/// <summary>
/// Replay-style negative tests of what the <c>device-log</c> fuzz target runs (DeviceLogFile.Decode, then
/// DeviceLogVerifier.Verify): the committed corpus (fuzz/corpus/device-log) and deterministic mutants of a
/// valid log file (byte changes, truncations, appended bytes) are accepted or rejected with a typed
/// error, and no mutant of a valid file is accepted.
/// </summary>
public sealed class DeviceLogFileReplayTests(ITestOutputHelper output)
{
    private static readonly DeviceLogLimits Limits = DeviceLogLimits.Default with { MaxEntries = 64, MaxLogBytes = 1 << 20 };

    private static string Outcome(byte[] file)
    {
        try
        {
            DeviceLogVerifier.Verify(DeviceLogFile.Decode(file, Limits), limits: Limits);
            return "accepted";
        }
        catch (EnigmException e)
        {
            return e.Code;
        }
    }

    [Fact]
    public void Committed_corpus_files_are_accepted_or_rejected_with_typed_errors()
    {
        var files = Directory.EnumerateFiles(CorpusFolder()).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        var outcomes = files.ToDictionary(f => Path.GetFileName(f), f => Outcome(File.ReadAllBytes(f)));
        output.WriteLine(string.Join(", ", outcomes.Select(o => $"{o.Key}={o.Value}")));
        Assert.Equal("accepted", outcomes["01-all-kinds.bin"]);
        Assert.Equal("device-log-gap", outcomes["03-gap.bin"]);
        Assert.Equal("device-log-signature", outcomes["04-bad-signature.bin"]);
    }

    [Fact]
    public void No_mutant_of_a_valid_log_file_is_accepted()
    {
        var file = DeviceLogFile.Encode(Sample().Entries.Take(3).ToList());
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (label, mutant) in Mutants(file))
        {
            var outcome = Outcome(mutant);
            Assert.True(outcome != "accepted", $"{label} was accepted");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        output.WriteLine(string.Join(", ", outcomes.Select(o => $"{o.Key}={o.Value}")));
        Assert.Contains("malformed-input", outcomes.Keys);
        Assert.Contains("device-log-signature", outcomes.Keys);
    }

    [Fact]
    public void A_file_over_the_limits_is_rejected_before_parsing()
    {
        var limits = DeviceLogLimits.Default with { MaxEntries = 2, MaxLogBytes = 1000 };
        Assert.Throws<DeviceLogTooLargeException>(() => DeviceLogFile.Decode(new byte[DeviceLogFile.MaxFileBytes(limits) + 1], limits));
        Assert.Throws<DeviceLogTooLargeException>(() => DeviceLogFile.Decode(DeviceLogFile.Encode([[1], [2], [3]]), limits));
    }

    [Fact]
    public void A_file_with_another_magic_is_malformed()
    {
        var file = DeviceLogFile.Encode([]);
        file[3] ^= 0x20;
        Assert.Throws<MalformedInputException>(() => DeviceLogFile.Decode(file));
    }

    private static IEnumerable<(string Label, byte[] Bytes)> Mutants(byte[] file)
    {
        var random = new Random(42);
        for (var i = 0; i < file.Length; i += 1 + random.Next(256))
        {
            var copy = (byte[])file.Clone();
            copy[i] ^= (byte)random.Next(1, 256);
            yield return ($"byte {i} changed", copy);
        }

        foreach (var length in new[] { 0, 1, 2, 17, file.Length / 2, file.Length - 1 })
            yield return ($"truncated to {length}", file[..length]);
        yield return ("one byte appended", [.. file, 0]);
        yield return ("a copy appended", [.. file, .. file]);
    }

    private static string CorpusFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Enigm.slnx")))
                return Path.Combine(dir.FullName, "fuzz", "corpus", "device-log");
        }

        throw new DirectoryNotFoundException("Enigm.slnx not found above the test binaries.");
    }
}
