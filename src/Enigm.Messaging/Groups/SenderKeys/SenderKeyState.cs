using System.Formats.Cbor;
using System.Security.Cryptography;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.Ratchet;
using Enigm.Messaging.Sessions;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;

namespace Enigm.Messaging.Groups.SenderKeys;

/// <summary>
/// One device's sender-key state in one group: its own chain, the chains of other member devices it follows,
/// and their skipped message keys (bounded). Serialised as deterministic CBOR
/// <c>[1, own | null, [received…], [[chain, iteration, key]…], next order]</c> for an <see cref="ISenderKeyStore"/>.
/// </summary>
internal sealed class SenderKeyState : IDisposable
{
    private const int Version = 1;

    /// <summary>Ceiling of a stored state: the chains of a full group plus skipped keys.</summary>
    private const int MaxEncodedSize = 4 * 1024 * 1024;

    private const int MaxReceivedChains = 3 * GroupMembership.MaxDevices;

    public OwnSenderChain? Own { get; set; }

    public List<ReceivedSenderChain> Received { get; } = [];

    public SkippedMessageKeys Skipped { get; } = new();

    public long NextOrder { get; set; }

    public ReceivedSenderChain? Find(ReadOnlySpan<byte> chainId)
    {
        foreach (var chain in Received)
            if (chain.ChainId.AsSpan().SequenceEqual(chainId)) return chain;
        return null;
    }

    /// <summary>Forgets a chain and its skipped keys.</summary>
    public void Drop(ReceivedSenderChain chain)
    {
        Received.Remove(chain);
        CryptographicOperations.ZeroMemory(chain.ChainKey);
        foreach (var id in Skipped.Entries.Select(e => e.Id).Where(id => id.ChainBytes().AsSpan(0, chain.ChainId.Length).SequenceEqual(chain.ChainId)).ToList())
            Skipped.Remove(id);
    }

    public byte[] Serialize()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(5);
        writer.WriteUInt32(Version);
        if (Own is null) writer.WriteNull();
        else WriteOwn(writer, Own);
        writer.WriteStartArray(Received.Count);
        foreach (var chain in Received)
        {
            writer.WriteStartArray(8);
            writer.WriteByteString(chain.ChainId);
            writer.WriteByteString(chain.Sender.Account.Bytes);
            writer.WriteTextString(chain.Sender.DeviceId);
            writer.WriteUInt32(SenderKeyDistribution.SigningAlgorithmCode(chain.SigningAlgorithm));
            writer.WriteByteString(chain.SigningPublicKey);
            writer.WriteByteString(chain.ChainKey);
            writer.WriteUInt32(chain.Iteration);
            writer.WriteUInt64((ulong)chain.Order);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteStartArray(Skipped.Count);
        foreach (var (id, key) in Skipped.Entries)
        {
            writer.WriteStartArray(3);
            writer.WriteByteString(id.ChainBytes());
            writer.WriteUInt64(id.Number);
            writer.WriteByteString(key);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteUInt64((ulong)NextOrder);
        writer.WriteEndArray();
        return writer.Encode();
    }

    public static SenderKeyState Deserialize(byte[] bytes, CryptoProviders providers, int maxSkipped) =>
        CanonicalCbor.Decode(bytes, MaxEncodedSize, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, 5);
            if (CanonicalCbor.ReadUInt(reader, Version) != Version) throw new MalformedInputException("Unknown sender-key state version.");
            var state = new SenderKeyState();
            if (reader.PeekState() == CborReaderState.Null) reader.ReadNull();
            else state.Own = ReadOwn(reader, providers);
            var count = MessagingCbor.ReadArrayUpTo(reader, MaxReceivedChains, "received chain");
            for (var i = 0; i < count; i++)
            {
                CanonicalCbor.ReadArrayStart(reader, 8);
                var chainId = MessagingCbor.ReadExact(reader, SenderKeyDistribution.ChainIdLength, "chain id");
                var sender = ReadAddress(reader);
                var algorithm = SenderKeyDistribution.SigningAlgorithmFor(CanonicalCbor.ReadUInt(reader, byte.MaxValue));
                var publicKey = MessagingCbor.ReadExact(reader, algorithm.PublicKeySize, "signing public key");
                var chainKey = MessagingCbor.ReadExact(reader, SenderKeyKdf.KeySize, "chain key");
                var iteration = MessagingCbor.ReadId(reader);
                var order = (long)CanonicalCbor.ReadUInt(reader, long.MaxValue);
                reader.ReadEndArray();
                state.Received.Add(new ReceivedSenderChain(chainId, sender, algorithm, publicKey, chainKey, iteration, order));
            }

            reader.ReadEndArray();
            var skipped = MessagingCbor.ReadArrayUpTo(reader, maxSkipped, "skipped key");
            for (var i = 0; i < skipped; i++)
            {
                CanonicalCbor.ReadArrayStart(reader, 3);
                var chain = MessagingCbor.ReadExact(reader, 32, "skipped key chain");
                var number = CanonicalCbor.ReadUInt(reader, uint.MaxValue);
                var key = MessagingCbor.ReadExact(reader, SenderKeyKdf.KeySize, "skipped key");
                reader.ReadEndArray();
                state.Skipped.Add(SkippedKeyId.FromChainBytes(false, chain, number), key, maxSkipped);
            }

            reader.ReadEndArray();
            state.NextOrder = (long)CanonicalCbor.ReadUInt(reader, long.MaxValue);
            reader.ReadEndArray();
            return state;
        });

    private static void WriteOwn(CborWriter writer, OwnSenderChain own)
    {
        writer.WriteStartArray(9);
        writer.WriteByteString(own.ChainId);
        writer.WriteByteString(own.ChainKey);
        writer.WriteUInt32(own.Iteration);
        writer.WriteUInt32(SenderKeyDistribution.SigningAlgorithmCode(own.SigningAlgorithm));
        writer.WriteUInt32((uint)own.SigningKey.Format);
        using (var material = own.SigningKey.ExportPrivateMaterial()) writer.WriteByteString(material.Span);
        writer.WriteUInt64((ulong)own.CreatedAt.ToUnixTimeMilliseconds());
        writer.WriteUInt64((ulong)own.MemberSince);
        writer.WriteStartArray(own.DistributedTo.Count);
        foreach (var (device, since) in own.DistributedTo.OrderBy(d => d.Key.StoreKey, StringComparer.Ordinal))
        {
            writer.WriteStartArray(3);
            writer.WriteByteString(device.Account.Bytes);
            writer.WriteTextString(device.DeviceId);
            writer.WriteUInt64((ulong)since);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteEndArray();
    }

    private static OwnSenderChain ReadOwn(CborReader reader, CryptoProviders providers)
    {
        CanonicalCbor.ReadArrayStart(reader, 9);
        var chainId = MessagingCbor.ReadExact(reader, SenderKeyDistribution.ChainIdLength, "chain id");
        var chainKey = MessagingCbor.ReadExact(reader, SenderKeyKdf.KeySize, "chain key");
        var iteration = MessagingCbor.ReadId(reader);
        var algorithm = SenderKeyDistribution.SigningAlgorithmFor(CanonicalCbor.ReadUInt(reader, byte.MaxValue));
        var format = (PrivateKeyFormat)CanonicalCbor.ReadUInt(reader, byte.MaxValue);
        var material = CanonicalCbor.ReadBytes(reader, 8 * 1024);
        PrivateKey signingKey;
        try
        {
            signingKey = providers.Signature(algorithm).ImportPrivateKey(material, format);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }

        var createdAt = MessagingCbor.ReadTimestamp(reader);
        var memberSince = (long)CanonicalCbor.ReadUInt(reader, long.MaxValue);
        var own = new OwnSenderChain(chainId, chainKey, iteration, signingKey, createdAt, memberSince);
        var count = MessagingCbor.ReadArrayUpTo(reader, GroupMembership.MaxDevices, "distributed-to device");
        for (var i = 0; i < count; i++)
        {
            CanonicalCbor.ReadArrayStart(reader, 3);
            var device = ReadAddress(reader);
            own.DistributedTo[device] = (long)CanonicalCbor.ReadUInt(reader, long.MaxValue);
            reader.ReadEndArray();
        }
        reader.ReadEndArray();
        reader.ReadEndArray();
        return own;
    }

    private static SessionAddress ReadAddress(CborReader reader)
    {
        var account = new AccountFingerprint(MessagingCbor.ReadExact(reader, AccountFingerprint.Length, "account"));
        var device = CanonicalCbor.ReadText(reader, DeviceLogEncoding.MaxIdLength);
        if (!DeviceLogEncoding.IsValidId(device)) throw new MalformedInputException("Invalid device id in sender-key state.");
        return new SessionAddress(account, device);
    }

    public void Dispose()
    {
        Own?.Dispose();
        foreach (var chain in Received) CryptographicOperations.ZeroMemory(chain.ChainKey);
    }
}
