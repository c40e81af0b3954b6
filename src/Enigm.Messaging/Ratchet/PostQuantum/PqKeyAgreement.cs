using System.Formats.Cbor;
using System.Security.Cryptography;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Ratchet.ErasureCoding;

namespace Enigm.Messaging.Ratchet.PostQuantum;

/// <summary>Where a party is in the current SCKA epoch (ML-KEM Braid §2 roles, whole items instead of increments).</summary>
internal enum PqPhase : byte
{
    /// <summary>This side sends the encapsulation key of the epoch; it samples the key pair at its next send.</summary>
    EkUnsampled = 0,

    /// <summary>Sending chunks of ek ‖ MAC; collecting chunks of the peer's ct ‖ MAC.</summary>
    SendingEk = 1,

    /// <summary>The other side sends the key: collecting chunks of ek ‖ MAC.</summary>
    AwaitingEk = 2,

    /// <summary>Encapsulated; sending chunks of ct ‖ MAC until the peer shows it has moved to the next epoch.</summary>
    SendingCt = 3,
}

/// <summary>A new epoch secret and the keys it produced, to be installed on commit.</summary>
internal sealed record PqEpochOutput(ulong Epoch, byte[] RootKey, byte[] AuthenticatorKey, byte[] InitiatorChain, byte[] ResponderChain);

/// <summary>What one received message would change in the SCKA (applied only after the AEAD check).</summary>
internal sealed class PqAgreementPlan
{
    public (ushort Index, byte[] Chunk)? AddChunk { get; init; }

    public bool PeerHasOurItem { get; init; }

    public PqPhase? NewPhase { get; init; }

    public ulong NewEpoch { get; init; }

    public byte[]? NewOutgoing { get; init; }

    public PqEpochOutput? Output { get; init; }
}

/// <summary>
/// The sparse continuous key agreement behind SPQR (Double Ratchet §5; ML-KEM Braid), with ML-KEM-768
/// sent as whole items because no provider here offers the incremental ML-KEM API. In epoch e one side
/// sends ek ‖ MAC(auth, e, ek); the other encapsulates to it and sends ct ‖ MAC(auth', e, ct), where auth'
/// has absorbed the epoch secret. Both items are erasure-coded into 32-byte chunks, one per ordinary
/// message. Both sides then hold the epoch secret; roles swap for e + 1 once the ek side shows, by the
/// epoch field of its messages, that it has decapsulated.
/// </summary>
internal sealed class PqKeyAgreement : IDisposable
{
    private const int SeedSize = 64;
    private const int MacSize = 32;
    private static readonly byte[] EkLabel = "ek"u8.ToArray();
    private static readonly byte[] CtLabel = "ct"u8.ToArray();

    private readonly IKem _kem;
    private readonly RatchetKdf _kdf;
    private readonly SortedDictionary<ushort, byte[]> _incoming = [];
    private byte[] _rootKey;
    private byte[] _authenticatorKey;
    private byte[]? _decapsulationSeed;
    private byte[]? _outgoing;
    private ReedSolomonEncoder? _encoder;
    private int _nextChunk;
    private bool _peerHasOurItem;

    private PqKeyAgreement(IKem kem, RatchetKdf kdf, ulong epoch, PqPhase phase, byte[] rootKey, byte[] authenticatorKey)
    {
        _kem = kem;
        _kdf = kdf;
        Epoch = epoch;
        Phase = phase;
        _rootKey = rootKey;
        _authenticatorKey = authenticatorKey;
    }

    /// <summary>The epoch being agreed now; every epoch below it is known to this side.</summary>
    public ulong Epoch { get; private set; }

    public PqPhase Phase { get; private set; }

    private int EkItemLength => _kem.Algorithm.PublicKeySize + MacSize;

    private int CtItemLength => _kem.Algorithm.CiphertextSize + MacSize;

    /// <summary>Triple Ratchet init (§6): the initiator sends the first encapsulation key, for epoch 1.</summary>
    public static PqKeyAgreement Create(IKem kem, RatchetKdf kdf, bool initiator, byte[] rootKey, byte[] authenticatorKey) =>
        new(kem, kdf, 1, initiator ? PqPhase.EkUnsampled : PqPhase.AwaitingEk, rootKey, authenticatorKey);

    /// <summary>The root key the epoch chains of <paramref name="epoch"/> 0 come from (before any KEM output).</summary>
    public PqEpochOutput InitialEpoch()
    {
        var root = new byte[RatchetKdf.KeySize];
        var initiatorChain = new byte[RatchetKdf.KeySize];
        var responderChain = new byte[RatchetKdf.KeySize];
        _kdf.EpochChains(_rootKey, new byte[RatchetKdf.KeySize], 0, root, initiatorChain, responderChain);
        _rootKey = root;
        return new PqEpochOutput(0, root, _authenticatorKey, initiatorChain, responderChain);
    }

    /// <summary>SCKA Send: the chunk (if any) this message carries.</summary>
    public (ushort Index, byte[] Chunk) NextChunk()
    {
        if (Phase == PqPhase.EkUnsampled)
        {
            // ML-KEM Braid: the ek side samples a fresh key pair for each of its epochs.
            _decapsulationSeed = RandomNumberGenerator.GetBytes(SeedSize);
            using var key = _kem.DeriveKeyPair(_decapsulationSeed);
            var mac = RatchetKdf.ItemMac(_authenticatorKey, EkLabel, Epoch, key.PublicKey);
            _outgoing = [.. key.PublicKey, .. mac];
            _encoder = null;
            _nextChunk = 0;
            _peerHasOurItem = false;
            Phase = PqPhase.SendingEk;
        }

        var sending = (Phase == PqPhase.SendingEk && !_peerHasOurItem) || Phase == PqPhase.SendingCt;
        if (!sending || _outgoing is null) return (0, []);
        var index = (ushort)_nextChunk;
        _nextChunk = (_nextChunk + 1) % (ReedSolomonErasureCode.MaxChunkIndex + 1);
        // One encoder per item in flight (not part of the state: rebuilt from _outgoing after a reload).
        _encoder ??= new ReedSolomonEncoder(_outgoing);
        return (index, _encoder.Encode(index));
    }

    /// <summary>SCKA Receive, as a plan: what the peer's epoch field and chunk mean for this side.</summary>
    public PqAgreementPlan? PlanReceive(ulong peerEpoch, ushort chunkIndex, byte[] chunk)
    {
        var hasChunk = chunk.Length != 0;
        if (peerEpoch < Epoch) return null; // a late message of an epoch already finished here
        switch (Phase)
        {
            case PqPhase.EkUnsampled or PqPhase.SendingEk:
                if (peerEpoch > Epoch) throw Impossible(peerEpoch);
                if (!hasChunk) return null;
                if (Phase == PqPhase.EkUnsampled) throw new RatchetAuthenticationException("Ciphertext chunk before any encapsulation key was sent.");
                return CollectCiphertext(chunkIndex, chunk);
            case PqPhase.AwaitingEk:
                if (peerEpoch > Epoch) throw Impossible(peerEpoch);
                return hasChunk ? CollectEncapsulationKey(chunkIndex, chunk) : null;
            default: // SendingCt
                if (peerEpoch == Epoch) return null;
                if (peerEpoch > Epoch + 1) throw Impossible(peerEpoch);
                // The peer decapsulated and moved on: this side sends the key of the next epoch.
                return new PqAgreementPlan { NewPhase = PqPhase.EkUnsampled, NewEpoch = Epoch + 1 };
        }
    }

    public void Commit(PqAgreementPlan plan, PqEpochChains chains)
    {
        if (plan.AddChunk is { } add) _incoming.TryAdd(add.Index, add.Chunk);
        if (plan.PeerHasOurItem) _peerHasOurItem = true;
        if (plan.Output is { } output)
        {
            CryptographicOperations.ZeroMemory(_rootKey);
            CryptographicOperations.ZeroMemory(_authenticatorKey);
            _rootKey = output.RootKey;
            _authenticatorKey = output.AuthenticatorKey;
            chains.AddEpoch(output.Epoch, output.InitiatorChain, output.ResponderChain);
        }

        if (plan.NewPhase is { } phase)
        {
            Phase = phase;
            Epoch = plan.NewEpoch;
            _incoming.Clear();
            if (_decapsulationSeed is not null) CryptographicOperations.ZeroMemory(_decapsulationSeed);
            _decapsulationSeed = null;
            _outgoing = plan.NewOutgoing;
            _encoder = null;
            _nextChunk = 0;
            _peerHasOurItem = false;
        }
    }

    private PqAgreementPlan CollectEncapsulationKey(ushort index, byte[] chunk)
    {
        var item = TryRebuild(index, chunk, EkItemLength);
        if (item is null) return new PqAgreementPlan { AddChunk = (index, chunk) };

        var ek = item.AsSpan(0, _kem.Algorithm.PublicKeySize);
        // ML-KEM Braid MacHdr: the key must come from the holder of the authenticator key.
        if (!CryptographicOperations.FixedTimeEquals(item.AsSpan(ek.Length), RatchetKdf.ItemMac(_authenticatorKey, EkLabel, Epoch, ek)))
            throw new RatchetAuthenticationException($"Encapsulation key of post-quantum epoch {Epoch} fails its authenticator.");
        KemEncapsulation encapsulation;
        try
        {
            encapsulation = _kem.Encapsulate(ek);
        }
        catch (InvalidKeyException e)
        {
            throw new RatchetAuthenticationException($"Encapsulation key of post-quantum epoch {Epoch} is invalid.", e);
        }

        using (encapsulation)
        {
            var output = DeriveEpoch(encapsulation.SharedSecret.Span);
            var mac = RatchetKdf.ItemMac(output.AuthenticatorKey, CtLabel, Epoch, encapsulation.Ciphertext);
            return new PqAgreementPlan
            {
                Output = output,
                NewPhase = PqPhase.SendingCt,
                NewEpoch = Epoch,
                NewOutgoing = [.. encapsulation.Ciphertext, .. mac],
            };
        }
    }

    private PqAgreementPlan CollectCiphertext(ushort index, byte[] chunk)
    {
        var item = TryRebuild(index, chunk, CtItemLength);
        if (item is null) return new PqAgreementPlan { AddChunk = (index, chunk), PeerHasOurItem = true };

        var ct = item.AsSpan(0, _kem.Algorithm.CiphertextSize);
        using var key = _kem.DeriveKeyPair(_decapsulationSeed!);
        using var shared = _kem.Decapsulate(key, ct);
        var output = DeriveEpoch(shared.Span);
        // ML-KEM Braid MacCt, under the authenticator updated with this epoch's secret.
        if (!CryptographicOperations.FixedTimeEquals(item.AsSpan(ct.Length), RatchetKdf.ItemMac(output.AuthenticatorKey, CtLabel, Epoch, ct)))
            throw new RatchetAuthenticationException($"Ciphertext of post-quantum epoch {Epoch} fails its authenticator.");
        return new PqAgreementPlan { Output = output, NewPhase = PqPhase.AwaitingEk, NewEpoch = Epoch + 1 };
    }

    /// <summary>The item once this chunk completes a set of N distinct chunks; null while more are needed.</summary>
    private byte[]? TryRebuild(ushort index, byte[] chunk, int itemLength)
    {
        if (_incoming.ContainsKey(index)) return null;
        var needed = ReedSolomonErasureCode.ChunkCount(itemLength);
        if (_incoming.Count + 1 < needed) return null;
        var chunks = _incoming.Select(p => ((int)p.Key, p.Value)).Append((index, chunk)).Take(needed).ToList();
        return ReedSolomonErasureCode.Decode(chunks, itemLength);
    }

    private PqEpochOutput DeriveEpoch(ReadOnlySpan<byte> kemSharedSecret)
    {
        var secret = new byte[RatchetKdf.KeySize];
        _kdf.EpochSecret(kemSharedSecret, Epoch, secret);
        var authenticator = new byte[RatchetKdf.KeySize];
        _kdf.AuthenticatorUpdate(_authenticatorKey, secret, Epoch, authenticator);
        var root = new byte[RatchetKdf.KeySize];
        var initiatorChain = new byte[RatchetKdf.KeySize];
        var responderChain = new byte[RatchetKdf.KeySize];
        _kdf.EpochChains(_rootKey, secret, Epoch, root, initiatorChain, responderChain);
        CryptographicOperations.ZeroMemory(secret);
        return new PqEpochOutput(Epoch, root, authenticator, initiatorChain, responderChain);
    }

    private RatchetAuthenticationException Impossible(ulong peerEpoch) =>
        new($"Peer claims post-quantum epoch {peerEpoch} while this side is in {Epoch} ({Phase}).");

    public void WriteTo(CborWriter writer)
    {
        writer.WriteStartArray(9);
        writer.WriteUInt64(Epoch);
        writer.WriteUInt32((byte)Phase);
        writer.WriteByteString(_rootKey);
        writer.WriteByteString(_authenticatorKey);
        StateCbor.WriteOptional(writer, _decapsulationSeed);
        StateCbor.WriteOptional(writer, _outgoing);
        writer.WriteUInt32((uint)_nextChunk);
        writer.WriteBoolean(_peerHasOurItem);
        writer.WriteStartArray(_incoming.Count);
        foreach (var (index, chunk) in _incoming)
        {
            writer.WriteStartArray(2);
            writer.WriteUInt32(index);
            writer.WriteByteString(chunk);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteEndArray();
    }

    public static PqKeyAgreement ReadFrom(CborReader reader, IKem kem, RatchetKdf kdf)
    {
        CanonicalCbor.ReadArrayStart(reader, 9);
        var epoch = CanonicalCbor.ReadUInt(reader, uint.MaxValue);
        var phase = CanonicalCbor.ReadUInt(reader, (ulong)PqPhase.SendingCt);
        var agreement = new PqKeyAgreement(kem, kdf, epoch, (PqPhase)phase, StateCbor.ReadExact(reader, RatchetKdf.KeySize), StateCbor.ReadExact(reader, RatchetKdf.KeySize))
        {
            _decapsulationSeed = StateCbor.ReadOptional(reader, SeedSize),
        };
        var outgoingLength = agreement.Phase == PqPhase.SendingCt ? agreement.CtItemLength : agreement.EkItemLength;
        agreement._outgoing = StateCbor.ReadOptional(reader, outgoingLength);
        agreement._nextChunk = (int)CanonicalCbor.ReadUInt(reader, ReedSolomonErasureCode.MaxChunkIndex);
        agreement._peerHasOurItem = reader.ReadBoolean();
        var count = reader.ReadStartArray() ?? 0;
        if (count > ReedSolomonErasureCode.ChunkCount(agreement.EkItemLength))
            throw new MalformedInputException("Too many stored post-quantum chunks in session state.");
        for (var i = 0; i < count; i++)
        {
            CanonicalCbor.ReadArrayStart(reader, 2);
            var index = (ushort)CanonicalCbor.ReadUInt(reader, ReedSolomonErasureCode.MaxChunkIndex);
            if (!agreement._incoming.TryAdd(index, StateCbor.ReadExact(reader, ReedSolomonErasureCode.ChunkSize)))
                throw new MalformedInputException("Duplicate post-quantum chunk in session state.");
            reader.ReadEndArray();
        }

        reader.ReadEndArray();
        reader.ReadEndArray();
        var consistent = agreement.Phase switch
        {
            PqPhase.EkUnsampled or PqPhase.AwaitingEk => agreement._outgoing is null && agreement._decapsulationSeed is null,
            PqPhase.SendingEk => agreement._outgoing is not null && agreement._decapsulationSeed is not null,
            _ => agreement._outgoing is not null && agreement._decapsulationSeed is null,
        };
        return consistent ? agreement : throw new MalformedInputException("Post-quantum ratchet state is inconsistent.");
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_rootKey);
        CryptographicOperations.ZeroMemory(_authenticatorKey);
        if (_decapsulationSeed is not null) CryptographicOperations.ZeroMemory(_decapsulationSeed);
    }
}
