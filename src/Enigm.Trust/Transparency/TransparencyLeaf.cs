using System.Buffers.Binary;
using Enigm.Crypto.Errors;
using Enigm.Trust.Accounts;

namespace Enigm.Trust.Transparency;

/// <summary>
/// One entry of the key-transparency log: an account's device-log head at a sequence number.
/// Encoded as fixed binary (73 bytes): version 0x01 ‖ account fingerprint (32) ‖ head hash (32) ‖
/// sequence (u64 big-endian). Fixed layout instead of CBOR: every field has a fixed size, so there is
/// exactly one encoding and nothing to canonicalise. The Merkle leaf hash is SHA-256(0x00 ‖ encoding).
/// </summary>
public sealed record TransparencyLeaf
{
    public const byte CurrentVersion = 1;

    public const int EncodedSize = 1 + AccountFingerprint.Length + MerkleHashing.HashSize + sizeof(ulong);

    private readonly byte[] _headHash;

    public TransparencyLeaf(AccountFingerprint account, ReadOnlySpan<byte> headHash, ulong sequence)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (headHash.Length != MerkleHashing.HashSize)
            throw new MalformedInputException($"A device-log head hash is {MerkleHashing.HashSize} bytes, not {headHash.Length}.");
        Account = account;
        _headHash = headHash.ToArray();
        Sequence = sequence;
    }

    public AccountFingerprint Account { get; }

    /// <summary>Hash of the newest entry of the account's device log.</summary>
    public ReadOnlySpan<byte> HeadHash => _headHash;

    /// <summary>Sequence number of that newest entry.</summary>
    public ulong Sequence { get; }

    public byte[] Encode()
    {
        var bytes = new byte[EncodedSize];
        bytes[0] = CurrentVersion;
        Account.Bytes.CopyTo(bytes.AsSpan(1));
        _headHash.CopyTo(bytes.AsSpan(1 + AccountFingerprint.Length));
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(EncodedSize - sizeof(ulong)), Sequence);
        return bytes;
    }

    /// <summary>RFC 9162 §2.1.1 leaf hash of <see cref="Encode"/>.</summary>
    public byte[] LeafHash() => MerkleHashing.LeafHash(Encode());

    public static TransparencyLeaf Parse(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length != EncodedSize)
            throw new MalformedInputException($"A transparency leaf is {EncodedSize} bytes, not {encoded.Length}.");
        if (encoded[0] != CurrentVersion)
            throw new UnsupportedFormatVersionException(encoded[0]);
        return new TransparencyLeaf(
            new AccountFingerprint(encoded.Slice(1, AccountFingerprint.Length)),
            encoded.Slice(1 + AccountFingerprint.Length, MerkleHashing.HashSize),
            BinaryPrimitives.ReadUInt64BigEndian(encoded[(EncodedSize - sizeof(ulong))..]));
    }

    public bool Equals(TransparencyLeaf? other) =>
        other is not null && Account.Equals(other.Account) && _headHash.AsSpan().SequenceEqual(other._headHash) && Sequence == other.Sequence;

    public override int GetHashCode() => HashCode.Combine(Account, Sequence);
}
