using System.Diagnostics;
using Enigm.Ota.Client;
using Enigm.Ota.Errors;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Threats;

/// <summary>
/// TUF slow retrieval (specification 1.5.2): a real HTTP server on loopback that sends headers and
/// then trickles the body, one byte per 100 ms. Without a bound on the whole transfer the updater
/// would wait for it forever; with <see cref="TransferLimits"/> it ends in
/// <see cref="SlowRetrievalException"/> shortly after the configured limit.
/// </summary>
public sealed class SlowRetrievalTests : IDisposable
{
    private readonly RepoWriter _repo = new();
    private readonly TricklingServer _server;

    public SlowRetrievalTests()
    {
        _repo.AddTarget("fw/app.bin", new byte[64 * 1024]);
        _repo.Publish();
        _server = new TricklingServer(_repo.RepoDir);
    }

    public void Dispose()
    {
        _server.Dispose();
        _repo.Dispose();
    }

    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);

    [Fact]
    public void A_trickled_timestamp_ends_at_the_file_deadline_with_slow_retrieval()
    {
        _server.Trickled.Add("timestamp.json");
        using var fetcher = new HttpFetcher(_server.BaseUrl, new TransferLimits { FileTimeout = TimeSpan.FromSeconds(1.5), MinimumBytesPerSecond = 0 });
        var updater = _repo.Updater(fetcher);
        var clock = Stopwatch.StartNew();

        var e = Assert.Throws<SlowRetrievalException>(() => updater.Refresh(TestRepository.Now));

        Assert.Equal("timestamp.json", e.Name);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(1.5) + Slack);
        Assert.InRange(e.BytesReceived, 1, 40);
        Assert.Contains("slow retrieval", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_below_the_minimum_average_rate_ends_after_the_grace_period()
    {
        // 10 bytes/s against a floor of 1000 bytes/s: refused once the 1 s grace period is over,
        // long before the (generous) file deadline.
        _server.Trickled.Add("timestamp.json");
        using var fetcher = new HttpFetcher(_server.BaseUrl, new TransferLimits
        {
            FileTimeout = TimeSpan.FromMinutes(5),
            MinimumBytesPerSecond = 1000,
            RateGracePeriod = TimeSpan.FromSeconds(1),
        });
        var updater = _repo.Updater(fetcher);
        var clock = Stopwatch.StartNew();

        var e = Assert.Throws<SlowRetrievalException>(() => updater.Refresh(TestRepository.Now));

        Assert.Contains("minimum average", e.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1) + Slack, $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_trickled_artifact_ends_with_slow_retrieval_and_leaves_no_file()
    {
        var data = new byte[64 * 1024];
        _server.Trickled.Add(RepoWriter.TargetFileName("fw/app.bin", data));
        using var fetcher = new HttpFetcher(_server.BaseUrl, new TransferLimits { FileTimeout = TimeSpan.FromSeconds(1.5) });
        var updater = _repo.Updater(fetcher);
        updater.Refresh(TestRepository.Now);

        Assert.Throws<SlowRetrievalException>(() => updater.Download(updater.RequireTarget("fw/app.bin"), _repo.OutDir));

        Assert.False(Directory.Exists(_repo.OutDir) && Directory.EnumerateFiles(_repo.OutDir, "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public void A_server_that_never_sends_headers_is_slow_retrieval_too()
    {
        _server.Silent.Add("timestamp.json");
        using var fetcher = new HttpFetcher(_server.BaseUrl, new TransferLimits { HeadersTimeout = TimeSpan.FromSeconds(1) });
        var updater = _repo.Updater(fetcher);
        var clock = Stopwatch.StartNew();

        var e = Assert.Throws<SlowRetrievalException>(() => updater.Refresh(TestRepository.Now));

        Assert.Equal(0, e.BytesReceived);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1) + Slack, $"took {clock.Elapsed}");
    }

    [Fact]
    public void The_same_limits_let_a_prompt_server_through()
    {
        using var fetcher = new HttpFetcher(_server.BaseUrl, new TransferLimits { FileTimeout = TimeSpan.FromSeconds(10), MinimumBytesPerSecond = 1000, RateGracePeriod = TimeSpan.FromSeconds(1) });
        var updater = _repo.Updater(fetcher);
        updater.Refresh(TestRepository.Now);
        var path = updater.Download(updater.RequireTarget("fw/app.bin"), _repo.OutDir);
        Assert.Equal(64 * 1024, new FileInfo(path).Length);
    }

    [Theory]
    [InlineData(0, 0.5, 0.8, 0.3, "one file")] // the file deadline comes first
    [InlineData(0, 0.5, 60, 0.5, "minimum average")] // nothing yet: the rate breaks when the 1 s grace ends
    [InlineData(20_000, 2.0, 12, 10.0, "one file")] // 10,000 bytes/s so far: the rate holds until t = 20 s
    [InlineData(1_000, 2.0, 60, -1.0, "minimum average")] // 500 bytes/s at t = 2 s: already below
    public void The_deadline_of_the_next_byte_is_the_earlier_limit(long received, double elapsed, double fileTimeout, double expectedRemaining, string limit)
    {
        var limits = new TransferLimits { FileTimeout = TimeSpan.FromSeconds(fileTimeout), MinimumBytesPerSecond = 1000, RateGracePeriod = TimeSpan.FromSeconds(1) };
        var remaining = TransferDeadlineStream.Remaining(limits, received, TimeSpan.FromSeconds(elapsed), out var reason);
        Assert.Contains(limit, reason, StringComparison.Ordinal);
        Assert.Equal(expectedRemaining, remaining.TotalSeconds, 3);
    }

    [Fact]
    public void Limits_that_cannot_be_enforced_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpFetcher(_server.BaseUrl, new TransferLimits { FileTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpFetcher(_server.BaseUrl, new TransferLimits { MinimumBytesPerSecond = -1 }));
    }
}
