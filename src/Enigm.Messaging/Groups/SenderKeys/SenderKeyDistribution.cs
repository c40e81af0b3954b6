using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Groups.Roster;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.Sessions;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;

namespace Enigm.Messaging.Groups.SenderKeys;

/// <summary>
/// A sender-key distribution message (libsignal's <c>SenderKeyDistributionMessage</c>; docs/groups.md,
/// "Distribution message"): the state a receiver needs to follow one sender chain from
/// <see cref="Iteration"/> on. Encoded as deterministic CBOR
/// <c>[version, suite, type, group id, sender account, sender device id, chain id, iteration, chain key,
/// signing algorithm, signing public key]</c>. It is not signed: it travels only inside a pairwise Triple
/// Ratchet session, which authenticates its sender and keeps the chain key secret (post-quantum), and the
/// receiver checks that the session's peer is the sender it names.
/// </summary>
public sealed record SenderKeyDistribution(
    ushort SuiteId,
    GroupId GroupId,
    SessionAddress Sender,
    byte[] ChainId,
    uint Iteration,
    byte[] ChainKey,
    SignatureAlgorithm SigningAlgorithm,
    byte[] SigningPublicKey)
{
    public const int ChainIdLength = 16;

    public const int ChainKeyLength = 32;

    /// <summary>Ceiling of an encoded distribution (the composite signing key is the largest field).</summary>
    public const int MaxEncodedSize = 4 * 1024;

    private const int Items = 11;

    public byte[] Encode()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(Items);
        new FormatHeader(FormatHeader.CurrentVersion, SuiteId, ObjectType.SenderKeyDistribution).WriteTo(writer);
        writer.WriteByteString(GroupId.Bytes);
        writer.WriteByteString(Sender.Account.Bytes);
        writer.WriteTextString(Sender.DeviceId);
        writer.WriteByteString(ChainId);
        writer.WriteUInt32(Iteration);
        writer.WriteByteString(ChainKey);
        writer.WriteUInt32(SigningAlgorithmCode(SigningAlgorithm));
        writer.WriteByteString(SigningPublicKey);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>
    /// Parses an untrusted distribution (size limit, canonical CBOR, header, field lengths, the signing key's
    /// length for its algorithm). Typed errors: <see cref="MalformedInputException"/> and the header's suite and
    /// version errors. Whether its sender may send to the group is <see cref="SenderKeyCipher"/>'s decision.
    /// </summary>
    public static SenderKeyDistribution Decode(ReadOnlyMemory<byte> encoded, SuitePolicy? policy = null)
    {
        policy ??= SuitePolicy.Default;
        return CanonicalCbor.Decode(encoded, MaxEncodedSize, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, Items);
            var header = FormatHeader.Read(reader, ObjectType.SenderKeyDistribution, policy);
            var group = new GroupId(MessagingCbor.ReadExact(reader, GroupId.Length, "group id"));
            var account = new AccountFingerprint(MessagingCbor.ReadExact(reader, AccountFingerprint.Length, "sender account"));
            var device = CanonicalCbor.ReadText(reader, DeviceLogEncoding.MaxIdLength);
            if (!DeviceLogEncoding.IsValidId(device)) throw new MalformedInputException("A sender-key distribution names an invalid device id.");
            var chainId = MessagingCbor.ReadExact(reader, ChainIdLength, "chain id");
            var iteration = MessagingCbor.ReadId(reader);
            var chainKey = MessagingCbor.ReadExact(reader, ChainKeyLength, "chain key");
            var algorithm = SigningAlgorithmFor(CanonicalCbor.ReadUInt(reader, byte.MaxValue));
            var publicKey = MessagingCbor.ReadExact(reader, algorithm.PublicKeySize, "signing public key");
            reader.ReadEndArray();
            return new SenderKeyDistribution(header.SuiteId, group, new SessionAddress(account, device), chainId, iteration, chainKey, algorithm, publicKey);
        });
    }

    internal static uint SigningAlgorithmCode(SignatureAlgorithm algorithm) =>
        algorithm == SignatureAlgorithm.Ed25519 ? 1u
        : algorithm == SignatureAlgorithm.MlDsa65Ed25519 ? 2u
        : throw new ArgumentException($"{algorithm.Name} does not sign group messages.", nameof(algorithm));

    internal static SignatureAlgorithm SigningAlgorithmFor(ulong code) => code switch
    {
        1 => SignatureAlgorithm.Ed25519,
        2 => SignatureAlgorithm.MlDsa65Ed25519,
        _ => throw new MalformedInputException($"Unknown sender-key signing algorithm {code}."),
    };

    public override string ToString() => $"SenderKeyDistribution({GroupId.Hex[..16]}…, {Sender}, chain {Convert.ToHexStringLower(ChainId)}, iteration {Iteration}, redacted)";
}
