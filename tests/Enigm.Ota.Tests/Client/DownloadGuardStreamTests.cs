using System.Diagnostics;
using Enigm.Ota.Client;
using Enigm.Ota.Errors;
using Xunit;

namespace Enigm.Ota.Tests.Client;

/// <summary>
/// The two download guards (<see cref="LengthLimitedStream"/>, <see cref="TransferDeadlineStream"/>)
/// share one contract: read-only and forward-only, the position is the bytes handed out, and disposing
/// the guard disposes the stream it guards and the owner of that stream (the HTTP response).
/// </summary>
public sealed class DownloadGuardStreamTests
{
    private static readonly TransferLimits Generous = new() { FileTimeout = TimeSpan.FromMinutes(5), MinimumBytesPerSecond = 0 };

    public static TheoryData<string> Guards() => ["length", "deadline"];

    private static Stream Guard(string kind, Stream inner, IDisposable? owner) => kind switch
    {
        "length" => new LengthLimitedStream(inner, "f.bin", 100, owner),
        "deadline" => new TransferDeadlineStream(inner, "f.bin", Generous, Stopwatch.GetTimestamp(), owner),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Guards))]
    public void A_guard_reads_forward_only_and_its_position_counts_the_bytes_read(string kind)
    {
        using var guard = Guard(kind, new MemoryStream([1, 2, 3, 4, 5]), null);
        Assert.True(guard.CanRead);
        Assert.False(guard.CanSeek);
        Assert.False(guard.CanWrite);

        var buffer = new byte[3];
        Assert.Equal(3, guard.Read(buffer, 0, 3));
        Assert.Equal(3, guard.Position);
        Assert.Equal(2, guard.Read(buffer.AsSpan()));
        Assert.Equal(5, guard.Position);
        Assert.Equal(0, guard.Read(buffer.AsSpan()));

        Assert.Throws<NotSupportedException>(() => guard.Length);
        Assert.Throws<NotSupportedException>(() => guard.Position = 0);
        Assert.Throws<NotSupportedException>(() => guard.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => guard.SetLength(1));
        Assert.Throws<NotSupportedException>(() => guard.Write([1], 0, 1));
    }

    [Theory]
    [MemberData(nameof(Guards))]
    public void Disposing_a_guard_disposes_the_guarded_stream_and_its_owner(string kind)
    {
        var inner = new MemoryStream([1]);
        var owner = new Owner();
        Guard(kind, inner, owner).Dispose();
        Assert.False(inner.CanRead);
        Assert.True(owner.Disposed);
    }

    [Fact]
    public void Guards_stack_and_the_length_limit_still_counts_every_byte()
    {
        using var stacked = new LengthLimitedStream(Guard("deadline", new MemoryStream(new byte[101]), null), "f.bin", 100);
        var e = Assert.Throws<LengthExceededException>(() => LengthLimitedStream.ReadAll(stacked));
        Assert.Contains("f.bin", e.Message, StringComparison.Ordinal);
    }

    private sealed class Owner : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
