using Enigm.Ota.Client;
using Enigm.Ota.Errors;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Client;

public sealed class HttpFetcherTests : IDisposable
{
    private readonly RepoWriter _repo = new();
    private readonly LoopbackServer _server;
    private readonly HttpFetcher _fetcher;

    public HttpFetcherTests()
    {
        _server = new LoopbackServer(_repo.RepoDir);
        _fetcher = new HttpFetcher(_server.BaseUrl);
    }

    public void Dispose()
    {
        _fetcher.Dispose();
        _server.Dispose();
        _repo.Dispose();
    }

    [Fact]
    public void Runs_the_whole_workflow_over_http()
    {
        var data = new byte[2 * 1024 * 1024 + 5];
        new Random(7).NextBytes(data);
        _repo.AddTarget("fw/app.bin", data);
        _repo.Publish();
        var updater = _repo.Updater(_fetcher);
        updater.Refresh();
        var path = updater.Download(updater.RequireTarget("fw/app.bin"), _repo.OutDir);
        Assert.Equal(data, File.ReadAllBytes(path));
    }

    [Fact]
    public void Reports_a_missing_file_as_absent()
    {
        Assert.Null(_fetcher.Open("2.root.json", 1000));
    }

    [Fact]
    public void Ends_an_endless_response_with_length_exceeded()
    {
        using var stream = _fetcher.Open("endless/timestamp.json", TrustedMetadataSet.MaxTimestampBytes)!;
        var started = DateTime.UtcNow;
        var e = Assert.Throws<LengthExceededException>(() => stream.CopyTo(Stream.Null));
        Assert.Equal("endless/timestamp.json", e.Name);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void Ends_an_endless_artifact_download_with_length_exceeded()
    {
        using var stream = _fetcher.Open("endless/app.bin", 3 * 1024 * 1024)!;
        Assert.Throws<LengthExceededException>(() =>
            ArtifactVerifier.Verify(stream, null, "app.bin", 3 * 1024 * 1024, new Dictionary<string, string> { ["sha256"] = new string('0', 64) }));
    }

    [Fact]
    public void Refuses_a_declared_content_length_above_the_limit_before_reading()
    {
        _repo.Publish();
        var e = Assert.Throws<LengthExceededException>(() => _fetcher.Open("1.snapshot.json", 10));
        Assert.Equal(10, e.ExpectedLength);
    }

    [Fact]
    public void Refuses_paths_that_leave_the_repository()
    {
        Assert.Throws<RepositoryException>(() => _fetcher.Open("../etc/passwd", 100));
        Assert.Throws<RepositoryException>(() => new DirectoryFetcher(_repo.RepoDir).Open("a/../../x", 100));
    }

    [Fact]
    public void Reports_an_unreachable_server_as_a_repository_error()
    {
        using var dead = new HttpFetcher(new Uri("http://127.0.0.1:1/"), new TransferLimits { HeadersTimeout = TimeSpan.FromSeconds(5) });
        Assert.Throws<RepositoryException>(() => dead.Open("timestamp.json", 100));
    }
}
