using System.Diagnostics;
using Enigm.Crypto.Errors;
using Enigm.Keys.Errors;
using Enigm.Keys.Protection;
using Xunit;
using Xunit.Abstractions;

namespace Enigm.Keys.Tests.Protection;

/// <summary>
/// The swtpm tests run when <c>ENIGM_TPM_TCTI</c> names a TPM that answers (scripts/swtpm-start.sh prints
/// one); otherwise they are reported as skipped with the reason. With <c>ENIGM_TPM_REQUIRED=1</c> an
/// unreachable TPM fails them instead. PCR tests use PCR 23, which TPM2_PCR_Reset may reset from locality 0
/// (TCG PC Client Platform TPM Profile, PCR attributes), so they leave the TPM as they found it.
/// </summary>
public sealed class TpmProtectorTests(ITestOutputHelper output)
{
    private const string Unreachable = "swtpm:host=127.0.0.1,port=1";

    private string RequireTpm()
    {
        var tcti = TpmRequirement.Require();
        output.WriteLine($"TPM: {tcti}");
        return tcti;
    }

    [Fact]
    public void Probe_reports_an_unreachable_tpm_with_a_reason()
    {
        var availability = TpmProtector.Probe(Unreachable, TimeSpan.FromSeconds(10));

        output.WriteLine(availability.Reason);
        Assert.False(availability.IsAvailable);
        Assert.Equal(Unreachable, availability.Tcti);
        Assert.False(string.IsNullOrWhiteSpace(availability.Reason));
    }

    [Fact]
    public void Probe_reports_a_missing_device()
    {
        var availability = TpmProtector.Probe("device:/dev/enigm-no-such-tpm");

        output.WriteLine(availability.Reason);
        Assert.False(availability.IsAvailable);
        Assert.True(
            availability.Reason.Contains("/dev/enigm-no-such-tpm", StringComparison.Ordinal)
            || availability.Reason.Contains("not installed", StringComparison.Ordinal));
    }

    [Fact]
    public void Create_without_a_tpm_throws_protector_unavailable()
    {
        var error = Assert.Throws<ProtectorUnavailableException>(() => new TpmProtector(Unreachable, timeout: TimeSpan.FromSeconds(10)).Create());

        output.WriteLine(error.Message);
        Assert.Equal("protector-unavailable", error.Code);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0xff })]
    [InlineData(new byte[] { 0x85, 0x02, 0x60, 0x41, 0x00, 0x41, 0x00, 0xf6 })]
    public void Rejects_a_corrupt_descriptor_before_touching_the_tpm(byte[] parameters)
    {
        var descriptor = new ProtectorDescriptor("tpm", parameters);

        Assert.Throws<MalformedInputException>(() => new TpmProtector(Unreachable).Unlock(descriptor));
    }

    [Fact]
    public void Descriptor_encoding_is_strict()
    {
        var valid = new TpmDescriptor(TpmDescriptor.DefaultTemplate, [1, 2], [3, 4], TpmPcrSelection.Parse("sha256:0,7"));
        Assert.Equal(valid.Encode(), TpmDescriptor.Decode(valid.Encode()).Encode());
        Assert.Equal(valid.Pcrs, TpmDescriptor.Decode(valid.Encode()).Pcrs);

        Assert.Throws<MalformedInputException>(() => TpmDescriptor.Decode((valid with { PrimaryTemplate = "ecc256" }).Encode()));
        Assert.Throws<MalformedInputException>(() => TpmDescriptor.Decode((valid with { Public = [] }).Encode()));
        Assert.Throws<MalformedInputException>(() => TpmDescriptor.Decode((valid with { Private = new byte[TpmDescriptor.MaxBlobSize + 1] }).Encode()));
        Assert.Throws<MalformedInputException>(() => TpmDescriptor.Decode(valid.Encode().Append((byte)0).ToArray()));
    }

    [Fact]
    public void Pcr_selections_parse_strictly()
    {
        Assert.Equal("sha256:0,7", TpmPcrSelection.Parse("sha256:7,0,7").ToString());
        Assert.Throws<FormatException>(() => TpmPcrSelection.Parse("sha256:24"));
        Assert.Throws<FormatException>(() => TpmPcrSelection.Parse("md5:0"));
        Assert.Throws<FormatException>(() => TpmPcrSelection.Parse("sha256:0;rm -rf /"));
    }

    [SkippableFact]
    public void Unlock_recovers_the_sealed_kek()
    {
        var tcti = RequireTpm();
        var handlesBefore = TransientHandles(tcti);
        var workDirsBefore = WorkDirectories();
        var stopwatch = Stopwatch.StartNew();

        var (descriptor, kek) = new TpmProtector(tcti).Create();
        var created = stopwatch.Elapsed;
        using (kek)
        {
            stopwatch.Restart();
            using var unlocked = ProtectorRegistry.ForDescriptor(descriptor, () => throw new InvalidOperationException("no passphrase"), tcti).Unlock(descriptor);

            output.WriteLine($"create {created.TotalMilliseconds:F0} ms, unlock {stopwatch.Elapsed.TotalMilliseconds:F0} ms, descriptor {descriptor.Parameters.Length} bytes");
            Assert.Equal("tpm", descriptor.Kind);
            Assert.True(unlocked.FixedTimeEquals(kek.Span));
            Assert.Null(TpmProtector.PcrPolicyOf(descriptor));
        }

        Assert.Equal(handlesBefore, TransientHandles(tcti));
        Assert.Equal(workDirsBefore, WorkDirectories());
    }

    [SkippableFact]
    public void Pcr_bound_kek_unseals_only_while_the_pcrs_are_unchanged()
    {
        var tcti = RequireTpm();
        Tool(tcti, "tpm2_pcrreset", "23");
        try
        {
            var (descriptor, kek) = new TpmProtector(tcti, TpmPcrSelection.Parse("sha256:23")).Create();
            using (kek)
            {
                using (var unlocked = new TpmProtector(tcti).Unlock(descriptor))
                    Assert.True(unlocked.FixedTimeEquals(kek.Span));
                Assert.Equal(TpmPcrSelection.Parse("sha256:23"), TpmProtector.PcrPolicyOf(descriptor));

                Tool(tcti, "tpm2_pcrextend", "23:sha256=" + new string('a', 64));
                var error = Assert.Throws<ProtectorUnavailableException>(() => new TpmProtector(tcti).Unlock(descriptor));
                output.WriteLine(error.Message);
                Assert.Contains("PCR", error.Message, StringComparison.Ordinal);

                Tool(tcti, "tpm2_pcrreset", "23");
                using var again = new TpmProtector(tcti).Unlock(descriptor);
                Assert.True(again.FixedTimeEquals(kek.Span));
            }
        }
        finally
        {
            Tool(tcti, "tpm2_pcrreset", "23");
        }
    }

    [SkippableFact]
    public void A_tampered_sealed_blob_does_not_unseal()
    {
        var tcti = RequireTpm();
        var (descriptor, kek) = new TpmProtector(tcti).Create();
        kek.Dispose();
        var stored = TpmDescriptor.Decode(descriptor.Parameters);
        var privateBlob = (byte[])stored.Private.Clone();
        privateBlob[privateBlob.Length / 2] ^= 1;
        var tampered = descriptor with { Parameters = (stored with { Private = privateBlob }).Encode() };

        var error = Assert.Throws<ProtectorUnavailableException>(() => new TpmProtector(tcti).Unlock(tampered));

        output.WriteLine(error.Message);
    }

    private static string[] WorkDirectories() =>
        [.. Directory.EnumerateDirectories(Path.GetTempPath(), "enigm-tpm-*").Order()];

    private static string TransientHandles(string tcti) => Tool(tcti, "tpm2_getcap", "handles-transient");

    private static string Tool(string tcti, params string[] arguments)
    {
        var start = new ProcessStartInfo(arguments[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments.Skip(1)) start.ArgumentList.Add(argument);
        start.Environment["TPM2TOOLS_TCTI"] = tcti;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{string.Join(' ', arguments)}: {stderr}");
        return stdout;
    }
}
