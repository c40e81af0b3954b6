using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Trust.Errors;

namespace Enigm.Trust.Transparency;

/// <summary>
/// A log's signed statement of its tree at one size (RFC 9162 §4.10, in Enigm's own encoding).
/// Wire form, deterministic CBOR: [1, suite id, log id, tree size, root hash, timestamp (Unix ms), signature].
/// The signature, by the suite's device-signature algorithm (suite 1: id-MLDSA65-Ed25519-SHA512), covers
/// "enigm/kt-sth/v1" ‖ CBOR [1, suite id, log id, tree size, root hash, timestamp], so it binds the log
/// name and cannot be replayed as any other signed Enigm object.
/// </summary>
public sealed record SignedTreeHead
{
    /// <summary>Largest encoding <see cref="Parse"/> reads (a composite signature is 3,373 bytes).</summary>
    public const int MaxEncodedSize = 8192;

    public const int MaxLogIdBytes = 128;

    private const uint Version = 1;

    private static readonly byte[] DomainLabel = "enigm/kt-sth/v1"u8.ToArray();

    private readonly byte[] _rootHash;
    private readonly byte[] _signature;

    private SignedTreeHead(string logId, long treeSize, byte[] rootHash, DateTimeOffset timestamp, ushort suiteId, byte[] signature)
    {
        LogId = logId;
        TreeSize = treeSize;
        _rootHash = rootHash;
        Timestamp = timestamp;
        SuiteId = suiteId;
        _signature = signature;
    }

    public string LogId { get; }

    public long TreeSize { get; }

    public ReadOnlySpan<byte> RootHash => _rootHash;

    /// <summary>When the log signed this head (millisecond precision).</summary>
    public DateTimeOffset Timestamp { get; }

    public ushort SuiteId { get; }

    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>Signs a tree head; <paramref name="scheme"/> must be the suite's device-signature scheme.</summary>
    public static SignedTreeHead Sign(ISignatureScheme scheme, PrivateKey logKey, string logId, long treeSize, ReadOnlySpan<byte> rootHash, DateTimeOffset timestamp, ushort suiteId)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(logKey);
        CheckLogId(logId);
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(timestamp, DateTimeOffset.UnixEpoch);
        if (rootHash.Length != MerkleHashing.HashSize) throw new ArgumentException("A root hash is 32 bytes.", nameof(rootHash));
        if (scheme.Algorithm != SuiteRegistry.Get(suiteId).DeviceSignature)
            throw new ArgumentException($"Tree heads of suite {suiteId} are signed with {SuiteRegistry.Get(suiteId).DeviceSignature.Name}.", nameof(scheme));
        var at = DateTimeOffset.FromUnixTimeMilliseconds(timestamp.ToUnixTimeMilliseconds());
        var unsigned = new SignedTreeHead(logId, treeSize, rootHash.ToArray(), at, suiteId, []);
        return new SignedTreeHead(logId, treeSize, rootHash.ToArray(), at, suiteId, scheme.Sign(logKey, unsigned.SignedMessage()));
    }

    /// <summary>
    /// Checks the signature with the log's public key. The suite, and its device-signature algorithm the
    /// head is signed with, must be accepted by <paramref name="policy"/> (<see cref="UnknownSuiteException"/>,
    /// <see cref="SuiteRefusedException"/>); a signature that does not verify throws
    /// <see cref="TransparencyProofException"/>.
    /// </summary>
    public void Verify(ReadOnlySpan<byte> logPublicKey, SuitePolicy? policy = null, CryptoProviders? providers = null)
    {
        var algorithm = SuiteRegistry.Get(SuiteId).DeviceSignature;
        (policy ?? SuitePolicy.Default).Require(SuiteId, algorithm);
        if (_signature.Length < algorithm.MinSignatureSize || _signature.Length > algorithm.MaxSignatureSize)
            throw new TransparencyProofException($"Tree head signature of {_signature.Length} bytes is not a {algorithm.Name} signature.");
        if (!(providers ?? CryptoProviders.Default).Signature(algorithm).Verify(logPublicKey, SignedMessage(), _signature))
            throw new TransparencyProofException($"Tree head of log '{LogId}' at size {TreeSize} is not signed by the log key.");
    }

    public byte[] Encode()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(7);
        WriteFields(writer);
        writer.WriteByteString(_signature);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>Parses untrusted bytes (no signature check: see <see cref="Verify"/>); bad input throws <see cref="MalformedInputException"/> or <see cref="UnsupportedFormatVersionException"/>.</summary>
    public static SignedTreeHead Parse(ReadOnlyMemory<byte> encoded) =>
        CanonicalCbor.Decode(encoded, MaxEncodedSize, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, 7);
            var version = reader.ReadUInt32();
            if (version != Version) throw new UnsupportedFormatVersionException((int)Math.Min(version, int.MaxValue));
            var suiteId = (ushort)CanonicalCbor.ReadUInt(reader, ushort.MaxValue);
            var logId = CanonicalCbor.ReadText(reader, MaxLogIdBytes);
            if (logId.Length == 0) throw new MalformedInputException("The log id is empty.");
            var treeSize = (long)CanonicalCbor.ReadUInt(reader, long.MaxValue);
            var root = reader.ReadByteString();
            if (root.Length != MerkleHashing.HashSize)
                throw new MalformedInputException($"The root hash is {root.Length} bytes, not {MerkleHashing.HashSize}.");
            // Up to year 9999, the range DateTimeOffset can hold.
            var millis = (long)CanonicalCbor.ReadUInt(reader, 253_402_300_799_999);
            var signature = reader.ReadByteString();
            reader.ReadEndArray();
            return new SignedTreeHead(logId, treeSize, root, DateTimeOffset.FromUnixTimeMilliseconds(millis), suiteId, signature);
        });

    /// <summary>Same log, size and root (timestamps and signatures may differ).</summary>
    public bool SameTree(SignedTreeHead other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(LogId, other.LogId, StringComparison.Ordinal) && TreeSize == other.TreeSize && _rootHash.AsSpan().SequenceEqual(other._rootHash);
    }

    public bool Equals(SignedTreeHead? other) =>
        other is not null && SameTree(other) && Timestamp == other.Timestamp && SuiteId == other.SuiteId && _signature.AsSpan().SequenceEqual(other._signature);

    public override int GetHashCode() => HashCode.Combine(LogId, TreeSize, Timestamp);

    public override string ToString() => $"tree head of '{LogId}' at size {TreeSize}, root {Convert.ToHexStringLower(_rootHash)}";

    internal static void CheckLogId(string logId)
    {
        ArgumentException.ThrowIfNullOrEmpty(logId);
        if (System.Text.Encoding.UTF8.GetByteCount(logId) > MaxLogIdBytes)
            throw new ArgumentException($"A log id is at most {MaxLogIdBytes} UTF-8 bytes.", nameof(logId));
    }

    private byte[] SignedMessage()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(6);
        WriteFields(writer);
        writer.WriteEndArray();
        return [.. DomainLabel, .. writer.Encode()];
    }

    private void WriteFields(CborWriter writer)
    {
        writer.WriteUInt32(Version);
        writer.WriteUInt32(SuiteId);
        writer.WriteTextString(LogId);
        writer.WriteUInt64((ulong)TreeSize);
        writer.WriteByteString(_rootHash);
        writer.WriteUInt64((ulong)Timestamp.ToUnixTimeMilliseconds());
    }
}
