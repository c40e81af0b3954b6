using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Trust.Errors;
using Enigm.Trust.Tests.Transparency.Support;
using Enigm.Trust.Transparency;
using Xunit;

namespace Enigm.Trust.Tests.Transparency;

public sealed class SignedTreeHeadTests
{
    [Fact]
    public void Signed_tree_head_round_trips_and_verifies_with_the_log_key()
    {
        var (log, _) = ReferenceTree.Numbered(9);
        var sth = log.SignTreeHead(LogKeys.Log, LogKeys.Now);

        var parsed = SignedTreeHead.Parse(sth.Encode());

        Assert.Equal(sth, parsed);
        Assert.Equal((9L, (ushort)1, "test-log"), (parsed.TreeSize, parsed.SuiteId, parsed.LogId));
        Assert.Equal(log.Root(), parsed.RootHash.ToArray());
        Assert.Equal(LogKeys.Now, parsed.Timestamp);
        parsed.Verify(LogKeys.Log.PublicKey);
    }

    [Fact]
    public void Tree_head_signed_by_another_key_is_rejected()
    {
        var (log, _) = ReferenceTree.Numbered(3);
        var sth = log.SignTreeHead(LogKeys.Other, LogKeys.Now);

        Assert.Throws<TransparencyProofException>(() => sth.Verify(LogKeys.Log.PublicKey));
    }

    [Theory]
    [InlineData(3)] // tree size
    [InlineData(4)] // root hash
    [InlineData(5)] // timestamp
    [InlineData(6)] // signature
    public void Tampered_tree_head_is_rejected(int field)
    {
        var (log, _) = ReferenceTree.Numbered(9);
        var tampered = Rewrite(log.SignTreeHead(LogKeys.Log, LogKeys.Now).Encode(), field);

        Assert.Throws<TransparencyProofException>(() => SignedTreeHead.Parse(tampered).Verify(LogKeys.Log.PublicKey));
    }

    [Fact]
    public void Tree_head_of_another_log_is_rejected_by_the_verifier()
    {
        var other = new TransparencyLog(new InMemoryTransparencyLogStore(), "other-log");
        var sth = other.SignTreeHead(LogKeys.Log, LogKeys.Now);

        sth.Verify(LogKeys.Log.PublicKey);
        Assert.Throws<TransparencyProofException>(() => new TreeHeadVerifier("test-log", LogKeys.Log.PublicKey).Verify(sth));
    }

    [Fact]
    public void Unknown_suite_is_refused()
    {
        var (log, _) = ReferenceTree.Numbered(2);
        var encoded = log.SignTreeHead(LogKeys.Log, LogKeys.Now).Encode();
        encoded[2] = 0x09; // [0x87, 0x01, suite 1 -> 9, ...]

        Assert.Throws<UnknownSuiteException>(() => SignedTreeHead.Parse(encoded).Verify(LogKeys.Log.PublicKey));
    }

    [Fact]
    public void Malformed_tree_heads_are_rejected_with_typed_errors()
    {
        var (log, _) = ReferenceTree.Numbered(2);
        var good = log.SignTreeHead(LogKeys.Log, LogKeys.Now).Encode();

        Assert.Throws<MalformedInputException>(() => SignedTreeHead.Parse(good[..^1]));
        Assert.Throws<MalformedInputException>(() => SignedTreeHead.Parse(good[..10]));
        Assert.Throws<MalformedInputException>(() => SignedTreeHead.Parse(Array.Empty<byte>()));
        Assert.Throws<MalformedInputException>(() => SignedTreeHead.Parse(good.Append((byte)0).ToArray()));
        Assert.Throws<MalformedInputException>(() => SignedTreeHead.Parse(new byte[SignedTreeHead.MaxEncodedSize + 1]));
        Assert.Throws<MalformedInputException>(() => SignedTreeHead.Parse(Rewrite(good, 4, new byte[31])));
        Assert.Throws<MalformedInputException>(() => SignedTreeHead.Parse(Rewrite(good, 2, "")));
        Assert.Throws<UnsupportedFormatVersionException>(() => SignedTreeHead.Parse(Rewrite(good, 0, 2UL)));
    }

    [Fact]
    public void Malformed_proofs_are_rejected_with_typed_errors()
    {
        var (log, _) = ReferenceTree.Numbered(13);
        var inclusion = log.InclusionProof(6).Encode();

        Assert.Throws<MalformedInputException>(() => InclusionProof.Parse(inclusion[..^1]));
        Assert.Throws<MalformedInputException>(() => InclusionProof.Parse(inclusion.Append((byte)0).ToArray()));
        Assert.Throws<MalformedInputException>(() => InclusionProof.Parse(new byte[InclusionProof.MaxEncodedSize + 1]));
        Assert.Throws<MalformedInputException>(() => InclusionProof.Parse(new InclusionProof(13, 13, []).Encode()));
        Assert.Throws<MalformedInputException>(() => InclusionProof.Parse(new InclusionProof(1, 13, [new byte[31]]).Encode()));
        Assert.Throws<MalformedInputException>(() => ConsistencyProof.Parse(new ConsistencyProof(5, 4, []).Encode()));
        Assert.Throws<MalformedInputException>(() => ConsistencyProof.Parse(new ConsistencyProof(1, 4, [.. Enumerable.Repeat(new byte[32], 65)]).Encode()));
    }

    /// <summary>Re-encodes <paramref name="encoded"/> with item <paramref name="field"/> replaced (or, without a value, perturbed).</summary>
    private static byte[] Rewrite(byte[] encoded, int field, object? value = null)
    {
        var reader = new CborReader(encoded, CborConformanceMode.Canonical);
        reader.ReadStartArray();
        var items = new object[7];
        items[0] = reader.ReadUInt64();
        items[1] = reader.ReadUInt64();
        items[2] = reader.ReadTextString();
        items[3] = reader.ReadUInt64();
        items[4] = reader.ReadByteString();
        items[5] = reader.ReadUInt64();
        items[6] = reader.ReadByteString();
        items[field] = value ?? items[field] switch
        {
            ulong n => n + 1,
            byte[] b => b.Select((x, i) => i == 5 ? (byte)(x ^ 1) : x).ToArray(),
            _ => throw new InvalidOperationException(),
        };
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(7);
        foreach (var item in items)
        {
            switch (item)
            {
                case ulong n: writer.WriteUInt64(n); break;
                case string s: writer.WriteTextString(s); break;
                case byte[] b: writer.WriteByteString(b); break;
            }
        }

        writer.WriteEndArray();
        return writer.Encode();
    }
}
