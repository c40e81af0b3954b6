using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Ratchet.PostQuantum;

namespace Enigm.Messaging.Ratchet;

/// <summary>
/// Session state as bytes: deterministic CBOR, [version, suite, initiator, AD, classical, pq, skipped],
/// every field's length and range checked on the way in. The bytes hold the session's private keys and
/// chain keys, so a client wraps them (Enigm.Keys) before storing them.
/// </summary>
public sealed partial class RatchetSession
{
    /// <summary>Ceiling on serialised state (the skipped-key store dominates: ~80 bytes per key).</summary>
    public const int MaxStateSize = 1 << 20;

    private const int MaxStoredSkippedKeys = 10_000;

    public byte[] Serialize()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var writer = CanonicalCbor.CreateWriter();
            writer.WriteStartArray(7);
            writer.WriteUInt32(MessagingAssembly.FormatVersion);
            writer.WriteUInt32(_suite.Id);
            writer.WriteBoolean(IsInitiator);
            writer.WriteByteString(_associatedData);
            Classical.WriteTo(writer);
            PostQuantum.WriteTo(writer);
            writer.WriteStartArray(_skipped.Count);
            foreach (var (id, key) in _skipped.Entries)
            {
                writer.WriteStartArray(4);
                writer.WriteBoolean(id.PostQuantum);
                writer.WriteByteString(id.ChainBytes());
                writer.WriteUInt64(id.Number);
                writer.WriteByteString(key);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteEndArray();
            return writer.Encode();
        }
    }

    /// <summary>
    /// Restores a session from <see cref="Serialize"/> output. Throws <see cref="MalformedInputException"/>
    /// (or a version/suite error) for anything that is not a well-formed state; never a partial session.
    /// </summary>
    public static RatchetSession Deserialize(ReadOnlySpan<byte> state, CryptoProviders? providers = null, RatchetLimits? limits = null, SuitePolicy? policy = null)
    {
        providers ??= CryptoProviders.Default;
        limits ??= RatchetLimits.Default;
        policy ??= SuitePolicy.Default;
        return CanonicalCbor.Decode(state.ToArray(), MaxStateSize, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, 7);
            var version = CanonicalCbor.ReadUInt(reader, byte.MaxValue);
            if (version != MessagingAssembly.FormatVersion) throw new UnsupportedFormatVersionException((int)version);
            var suite = policy.Require((ushort)CanonicalCbor.ReadUInt(reader, ushort.MaxValue));
            var initiator = reader.ReadBoolean();
            var associatedData = CanonicalCbor.ReadBytes(reader, MaxAssociatedDataSize);
            var kdf = new RatchetKdf(providers.Kdf(suite.RatchetKdf));
            var classical = ReadPart(() => DoubleRatchet.ReadFrom(reader, providers.KeyAgreement(suite.SessionKeyAgreement), kdf));
            var pq = ReadPart(() => SparsePqRatchet.ReadFrom(reader, providers.Kem(suite.RatchetKem), kdf));
            var skipped = new SkippedMessageKeys();
            var count = reader.ReadStartArray() ?? 0;
            if (count > MaxStoredSkippedKeys) throw new MalformedInputException($"Session state holds {count} skipped keys, over {MaxStoredSkippedKeys}.");
            for (var i = 0; i < count; i++)
            {
                CanonicalCbor.ReadArrayStart(reader, 4);
                var postQuantum = reader.ReadBoolean();
                var chain = StateCbor.ReadExact(reader, 32);
                var number = CanonicalCbor.ReadUInt(reader, uint.MaxValue);
                skipped.Add(SkippedKeyId.FromChainBytes(postQuantum, chain, number), StateCbor.ReadExact(reader, RatchetKdf.KeySize), limits.MaxSkippedKeys);
                reader.ReadEndArray();
            }

            reader.ReadEndArray();
            reader.ReadEndArray();
            return new RatchetSession(suite, initiator, associatedData, classical, pq, skipped, providers, limits);
        });
    }

    private static T ReadPart<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidKeyException e)
        {
            throw new MalformedInputException("Session state holds an invalid key.", e);
        }
    }
}
