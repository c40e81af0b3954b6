using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Trust.DeviceLog;
using Xunit;
using static Enigm.Trust.Tests.DeviceLog.DeviceLogTestKit;

namespace Enigm.Trust.Tests.DeviceLog;

/// <summary>
/// A device log relies on its suite's device signature (id-MLDSA65-Ed25519-SHA512): refusing one half of
/// that composite, or an algorithm the log does not use, leaves the log valid; refusing both halves or the
/// composite by name refuses it, naming the composite (docs/crypto-core.md, "Suite policy").
/// </summary>
public sealed class DeviceLogAlgorithmRefusalTests
{
    private static readonly Lazy<DeviceLogWriter> SampleLog = new(Sample);

    private static IReadOnlyList<byte[]> Entries => SampleLog.Value.Entries;

    private static SuitePolicy Refusing(params CryptoAlgorithm[] algorithms) =>
        algorithms.Aggregate(SuitePolicy.Default, (p, a) => p.RefuseAlgorithm(a));

    public static TheoryData<string> AcceptedRefusals => ["Ed25519", "ML-DSA-65", "ML-DSA-87", "ChaCha20-Poly1305", "X25519"];

    [Theory]
    [MemberData(nameof(AcceptedRefusals))]
    public void A_log_verifies_when_the_policy_refuses_one_half_of_its_composite_or_an_algorithm_it_does_not_use(string refused)
    {
        var policy = Refusing(CryptoAlgorithm.All.Single(a => a.Name == refused));
        var set = DeviceLogVerifier.Verify(Entries, policy: policy);
        Assert.Equal(["phone", "laptop"], set.Devices.Select(d => d.Id));
    }

    [Fact]
    public void A_log_is_refused_when_both_halves_of_its_composite_are_refused()
    {
        var e = Assert.Throws<SuiteRefusedException>(() => DeviceLogVerifier.Verify(Entries, policy: Refusing(SignatureAlgorithm.MlDsa65, SignatureAlgorithm.Ed25519)));
        Assert.Contains("id-MLDSA65-Ed25519-SHA512", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_log_is_refused_when_its_composite_is_refused_by_name()
    {
        var e = Assert.Throws<SuiteRefusedException>(() => DeviceLogVerifier.Verify(Entries, policy: Refusing(SignatureAlgorithm.MlDsa65Ed25519)));
        Assert.Contains("id-MLDSA65-Ed25519-SHA512 is refused", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_writer_whose_policy_refuses_Ed25519_still_writes_and_replays_its_log()
    {
        var options = new DeviceLogWriterOptions { Policy = Refusing(SignatureAlgorithm.Ed25519) };
        var writer = DeviceLogWriter.CreateGenesis("phone", "p", Key(1), options);
        writer.AddDevice("laptop", "l", Key(2), "phone", Key(1));
        Assert.Equal(2, DeviceLogVerifier.Verify(writer.Entries, policy: options.Policy).Devices.Count);
    }

    [Fact]
    public void A_writer_whose_policy_refuses_the_device_composite_cannot_write()
    {
        var options = new DeviceLogWriterOptions { Policy = Refusing(SignatureAlgorithm.MlDsa65Ed25519) };
        Assert.Throws<SuiteRefusedException>(() => DeviceLogWriter.CreateGenesis("phone", "p", Key(1), options));
    }

    [Fact]
    public void Decoding_an_entry_checks_the_algorithm_its_signatures_rely_on()
    {
        Assert.Equal(0, DeviceLogEncoding.Decode(Entries[0], Refusing(SignatureAlgorithm.Ed25519), DeviceLogLimits.Default.MaxEntryBytes).Sequence);
        Assert.Throws<SuiteRefusedException>(() => DeviceLogEncoding.Decode(Entries[0], Refusing(SignatureAlgorithm.MlDsa65Ed25519), DeviceLogLimits.Default.MaxEntryBytes));
    }
}
