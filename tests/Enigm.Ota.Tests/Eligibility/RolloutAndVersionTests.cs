using System.Globalization;
using Enigm.Ota.Eligibility;
using Xunit;

namespace Enigm.Ota.Tests.Eligibility;

public sealed class RolloutAndVersionTests
{
    private static readonly string[] Devices = [.. Enumerable.Range(0, 2000).Select(i => $"dev-{i:D5}")];

    [Fact]
    public void Bucket_is_stable_across_runs()
    {
        // Pinned: SHA-256("dev-7f3a\0app.bin\02.1.0")[0..8] big-endian mod 10000.
        var digest = System.Security.Cryptography.SHA256.HashData("dev-7f3a\0app.bin\02.1.0"u8);
        var expected = (int)(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(digest) % 10000);
        Assert.Equal(expected, RolloutBucket.Of("dev-7f3a", "app.bin", "2.1.0"));
        Assert.Equal(RolloutBucket.Of("dev-7f3a", "app.bin", "2.1.0"), RolloutBucket.Of("dev-7f3a", "app.bin", "2.1.0"));
        Assert.InRange(RolloutBucket.Of("dev-7f3a", "app.bin", "2.1.0"), 0, 9999);
    }

    [Fact]
    public void Raising_the_percentage_only_adds_devices()
    {
        HashSet<string>? previous = null;
        foreach (var percent in new[] { 0, 1, 5, 20, 30, 50, 99, 100 })
        {
            var eligible = Devices.Where(d => RolloutBucket.IsIn(RolloutBucket.Of(d, "app.bin", "2.1.0"), percent)).ToHashSet();
            if (previous is not null) Assert.Superset(previous, eligible);
            previous = eligible;
        }

        Assert.Equal(Devices.Length, previous!.Count);
    }

    [Fact]
    public void A_device_eligible_at_20_percent_stays_eligible_at_30()
    {
        var rules = new ReleaseRules { Version = "2.1.0", Channel = "stable", RolloutPercent = 20 };
        var device = new DeviceProfile { Id = "x", Model = "m1", Channel = "stable", InstalledVersion = "2.0", OsVersion = "1" };
        var at20 = Devices.Where(d => EligibilityEvaluator.Evaluate(device with { Id = d }, "app.bin", rules).Eligible).ToList();
        Assert.NotEmpty(at20);
        Assert.All(at20, d => Assert.True(EligibilityEvaluator.Evaluate(device with { Id = d }, "app.bin", rules with { RolloutPercent = 30 }).Eligible));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(50)]
    [InlineData(100)]
    public void Share_of_devices_in_the_rollout_is_close_to_the_percentage(int percent)
    {
        var share = Devices.Count(d => RolloutBucket.IsIn(RolloutBucket.Of(d, "app.bin", "2.1.0"), percent)) * 100.0 / Devices.Length;
        Assert.InRange(share, percent - 4, percent + 4);
    }

    [Fact]
    public void A_new_release_draws_new_buckets()
    {
        var differ = Devices.Count(d => RolloutBucket.Of(d, "app.bin", "2.1.0") != RolloutBucket.Of(d, "app.bin", "2.2.0"));
        Assert.True(differ > Devices.Length * 9 / 10, differ.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2.10.0", "2.9.9", 1)]
    [InlineData("2.0", "2.0.0", 0)]
    [InlineData("1.0.0", "1.0.1", -1)]
    [InlineData("10", "9.99", 1)]
    public void Compares_dotted_versions_numerically(string a, string b, int sign) =>
        Assert.Equal(sign, Math.Sign(DottedVersion.Compare(a, b)));

    [Theory]
    [InlineData("")]
    [InlineData("1..2")]
    [InlineData("1.a")]
    [InlineData("-1")]
    [InlineData("1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17")]
    [InlineData("1234567890")]
    public void Refuses_malformed_versions(string text) => Assert.False(DottedVersion.TryParse(text, out _));
}
