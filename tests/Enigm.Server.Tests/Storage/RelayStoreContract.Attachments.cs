using System.Security.Cryptography;
using Enigm.Server.Storage;
using Xunit;

namespace Enigm.Server.Tests.Storage;

public abstract partial class RelayStoreContract
{
    [SkippableFact]
    public async Task Stores_an_attachment_once_and_copies_it_back()
    {
        var store = await StoreAsync();
        var blob = Bytes(150_000);
        Assert.True(await store.PutAttachmentAsync("a1", "alice", new MemoryStream(blob), 1_000_000, T0));
        Assert.False(await store.PutAttachmentAsync("a1", "bob", new MemoryStream(Bytes(10)), 1_000_000, T0));
        Assert.Equal(blob.Length, await store.AttachmentLengthAsync("a1"));
        var copy = new MemoryStream();
        Assert.True(await store.CopyAttachmentToAsync("a1", copy));
        Assert.Equal(blob, copy.ToArray());
        Assert.Null(await store.AttachmentLengthAsync("a2"));
        Assert.False(await store.CopyAttachmentToAsync("a2", new MemoryStream()));

        Assert.True(await store.PutAttachmentAsync("empty", "alice", new MemoryStream(), 10, T0));
        Assert.Equal(0, await store.AttachmentLengthAsync("empty"));
    }

    [SkippableFact]
    public async Task An_attachment_over_the_cap_is_refused_and_leaves_nothing()
    {
        var store = await StoreAsync();
        var error = await Assert.ThrowsAsync<AttachmentTooLargeException>(() =>
            store.PutAttachmentAsync("big", "alice", new PatternStream(3_000_001), 3_000_000, T0));
        Assert.Equal("too-large", error.Code);
        Assert.Null(await store.AttachmentLengthAsync("big"));
        Assert.False(await store.CopyAttachmentToAsync("big", new MemoryStream()));
        // Nothing left behind: the id is free again, and exactly at the cap is accepted.
        Assert.True(await store.PutAttachmentAsync("big", "alice", new PatternStream(3_000_000), 3_000_000, T0));
        Assert.Equal(3_000_000, await store.AttachmentLengthAsync("big"));
    }

    [SkippableFact]
    public async Task Streams_a_20_MiB_attachment_in_and_out()
    {
        var store = await StoreAsync();
        const long size = 20L * 1024 * 1024 + 12345;
        var source = new PatternStream(size);
        Assert.True(await store.PutAttachmentAsync("huge", "alice", source, size, T0));
        Assert.Equal(size, await store.AttachmentLengthAsync("huge"));

        using var sink = new HashingSink();
        Assert.True(await store.CopyAttachmentToAsync("huge", sink));
        Assert.Equal(size, sink.Length);
        Assert.Equal(source.Hash(), sink.Hash());
    }

    [SkippableFact]
    public async Task The_attachment_sweep_removes_old_blobs()
    {
        var store = await StoreAsync();
        await store.PutAttachmentAsync("old", "alice", new MemoryStream(Bytes(10)), 100, T0);
        await store.PutAttachmentAsync("new", "alice", new MemoryStream(Bytes(10)), 100, T0.AddDays(3));
        Assert.Equal(1, await store.SweepAttachmentsAsync(T0.AddDays(1)));
        Assert.Null(await store.AttachmentLengthAsync("old"));
        Assert.Equal(10, await store.AttachmentLengthAsync("new"));
    }

    /// <summary>A read-only stream of <c>length</c> deterministic bytes, generated as read (never held whole).</summary>
    protected sealed class PatternStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++) buffer[offset + i] = Byte(_position + i);
            _position += n;
            return n;
        }

        public byte[] Hash()
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[65536];
            for (long at = 0; at < length; at += buffer.Length)
            {
                var n = (int)Math.Min(buffer.Length, length - at);
                for (var i = 0; i < n; i++) buffer[i] = Byte(at + i);
                hash.AppendData(buffer, 0, n);
            }

            return hash.GetHashAndReset();
        }

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private static byte Byte(long at) => (byte)((at * 131) ^ (at >> 11));
    }

    /// <summary>A write-only stream that only hashes what it is given.</summary>
    protected sealed class HashingSink : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public byte[] Hash() => _hash.GetHashAndReset();

        public override void Write(byte[] buffer, int offset, int count)
        {
            _hash.AppendData(buffer, offset, count);
            _length += count;
        }

        public override void Flush() { }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _hash.Dispose();
            base.Dispose(disposing);
        }
    }
}
