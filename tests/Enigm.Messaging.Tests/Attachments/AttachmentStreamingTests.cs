using System.IO.Pipes;
using System.Security.Cryptography;
using Enigm.Messaging.Attachments;
using Xunit;
using Xunit.Abstractions;

namespace Enigm.Messaging.Tests.Attachments;

/// <summary>
/// 1 GiB through encryption and decryption at once (an OS pipe between two threads), with the plaintext
/// generated and checked on the fly: neither side ever holds more than a chunk, which the allocation
/// count shows.
/// </summary>
public sealed class AttachmentStreamingTests(ITestOutputHelper output)
{
    private const long OneGiB = 1L << 30;

    [Fact]
    public async Task Streams_1_GiB_through_encrypt_and_decrypt_in_bounded_memory()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var sink = new CheckingSink();

        // Per-thread counters: other test classes run in parallel in this process, so the process-wide
        // GC.GetTotalAllocatedBytes would count their allocations too.
        var started = System.Diagnostics.Stopwatch.StartNew();
        var encrypting = Task.Run(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            ChunkedEncryption.Encrypt(key, [], new PatternSource(OneGiB), server);
            server.Dispose(); // end of ciphertext
            return GC.GetAllocatedBytesForCurrentThread() - before;
        });
        var decryptBefore = GC.GetAllocatedBytesForCurrentThread();
        var length = ChunkedEncryption.Decrypt(key, [], client, sink);
        var decryptAllocated = GC.GetAllocatedBytesForCurrentThread() - decryptBefore;
        var allocated = decryptAllocated + await encrypting;
        started.Stop();

        output.WriteLine($"1 GiB encrypt+decrypt concurrently: {started.Elapsed.TotalSeconds:F1} s, {allocated / 1024} KiB allocated");
        Assert.Equal(OneGiB, length);
        Assert.Equal(OneGiB, sink.Checked);
        Assert.True(allocated < 4 * 1024 * 1024, $"{allocated} bytes allocated for 1 GiB");
    }

    private static byte Pattern(long position) => (byte)(position ^ (position >> 8) ^ (position >> 17));

    /// <summary>A read-only stream of <c>length</c> pattern bytes, made as it is read.</summary>
    private sealed class PatternSource(long length) : Stream
    {
        private long position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - position);
            for (var i = 0; i < n; i++) buffer[i] = Pattern(position + i);
            position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A write-only stream that checks each byte against the pattern and keeps nothing.</summary>
    private sealed class CheckingSink : Stream
    {
        public long Checked { get; private set; }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Checked;
        public override long Position { get => Checked; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            for (var i = 0; i < buffer.Length; i++)
                if (buffer[i] != Pattern(Checked + i))
                    throw new InvalidDataException($"Plaintext differs at byte {Checked + i}.");
            Checked += buffer.Length;
        }

        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
