using Enigm.Crypto.Errors;
using Enigm.Messaging.Ratchet.ErasureCoding;
using Xunit;

namespace Enigm.Messaging.Tests.Ratchet;

public sealed class ReedSolomonTests
{
    [Fact]
    public void Field_modulus_is_primitive_so_x_generates_every_non_zero_element()
    {
        var seen = new HashSet<ushort>();
        foreach (var value in Gf65536.ExpTable[..Gf65536.Order]) Assert.True(seen.Add(value));
        Assert.Equal(65535, seen.Count);
        Assert.DoesNotContain((ushort)0, seen);
    }

    [Fact]
    public void Multiplication_has_inverses_and_distributes_over_addition()
    {
        var random = new Random(7);
        for (var i = 0; i < 1000; i++)
        {
            var (a, b, c) = ((ushort)random.Next(1, 65536), (ushort)random.Next(65536), (ushort)random.Next(65536));
            var inverse = Gf65536.FromLog(-Gf65536.LogOf(a));
            Assert.Equal(1, Gf65536.Multiply(a, inverse));
            Assert.Equal(Gf65536.Multiply(a, (ushort)(b ^ c)), Gf65536.Multiply(a, b) ^ Gf65536.Multiply(a, c));
        }
    }

    [Fact]
    public void First_n_chunks_are_the_item_itself()
    {
        var item = RandomItem(1216);
        var n = ReedSolomonErasureCode.ChunkCount(item.Length);
        Assert.Equal(38, n);
        for (var i = 0; i < n; i++)
            Assert.Equal(item.AsSpan(i * 32, 32).ToArray(), ReedSolomonErasureCode.Encode(item, i));
    }

    [Theory]
    [InlineData(1216, 1)]
    [InlineData(1120, 2)]
    [InlineData(100, 3)]
    [InlineData(32, 4)]
    public void Any_n_of_m_chunks_rebuild_the_item(int length, int seed)
    {
        var random = new Random(seed);
        var item = RandomItem(length, random);
        var n = ReedSolomonErasureCode.ChunkCount(length);
        var m = 3 * n + 5;
        var all = Enumerable.Range(0, m).Select(i => (Index: i, Chunk: ReedSolomonErasureCode.Encode(item, i))).ToArray();
        for (var trial = 0; trial < 20; trial++)
        {
            var subset = all.OrderBy(_ => random.Next()).Take(n).ToList();
            Assert.Equal(item, ReedSolomonErasureCode.Decode(subset, length));
        }

        // Parity only, including indices far into the field.
        var far = new[] { 65535, 40000, 1000 }.Concat(Enumerable.Range(n, n)).Take(n)
            .Select(i => (i, ReedSolomonErasureCode.Encode(item, i))).ToList();
        Assert.Equal(item, ReedSolomonErasureCode.Decode(far, length));
    }

    [Fact]
    public void A_reused_encoder_gives_the_chunks_of_a_fresh_one_and_its_parity_rebuilds_the_item()
    {
        var item = RandomItem(1216);
        var encoder = new ReedSolomonEncoder(item);
        var n = encoder.ChunkCount;
        var indices = Enumerable.Range(0, 3 * n).Concat([65535, 40000]).ToList();
        var chunks = indices.Select(i => (Index: i, Chunk: encoder.Encode(i))).ToList();

        foreach (var (index, chunk) in chunks)
            Assert.Equal(new ReedSolomonEncoder(item).Encode(index), chunk);
        Assert.Equal(item, ReedSolomonErasureCode.Decode(chunks.Skip(n).Take(n).ToList(), item.Length));
        Assert.Equal(item, ReedSolomonErasureCode.Decode(chunks.TakeLast(n).ToList(), item.Length));
    }

    [Fact]
    public void A_changed_chunk_changes_the_rebuilt_item()
    {
        var item = RandomItem(1120);
        var n = ReedSolomonErasureCode.ChunkCount(item.Length);
        var chunks = Enumerable.Range(5, n).Select(i => (i, ReedSolomonErasureCode.Encode(item, i))).ToList();
        chunks[3].Item2[0] ^= 1;
        Assert.NotEqual(item, ReedSolomonErasureCode.Decode(chunks, item.Length));
    }

    [Fact]
    public void Rejects_too_few_or_duplicate_chunks()
    {
        var item = RandomItem(96);
        var chunks = Enumerable.Range(0, 3).Select(i => (i, ReedSolomonErasureCode.Encode(item, i))).ToList();
        Assert.Throws<MalformedInputException>(() => ReedSolomonErasureCode.Decode(chunks.Take(2).ToList(), 96));
        Assert.Throws<MalformedInputException>(() => ReedSolomonErasureCode.Decode([chunks[0], chunks[0], chunks[1]], 96));
        Assert.Throws<MalformedInputException>(() => ReedSolomonErasureCode.Decode([chunks[0], chunks[1], (2, new byte[31])], 96));
    }

    private static byte[] RandomItem(int length, Random? random = null)
    {
        var item = new byte[length];
        (random ?? new Random(length)).NextBytes(item);
        return item;
    }
}
