using System.Formats.Cbor;
using System.Security.Cryptography;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Messaging.Errors;

namespace Enigm.Messaging.Ratchet.PostQuantum;

/// <summary>One symmetric KDF chain of an SPQR epoch (§5: per-epoch sending and receiving chains).</summary>
internal sealed class PqChain(ulong epoch, byte[] key, uint next)
{
    public ulong Epoch { get; } = epoch;

    public byte[] Key { get; } = key;

    /// <summary>The number of the next message key this chain yields.</summary>
    public uint Next { get; set; } = next;
}

/// <summary>What decrypting one message would change in the SPQR chains (applied only after the AEAD check).</summary>
internal sealed class PqKeyPlan
{
    public required byte[] MessageKey { get; init; }

    public SkippedKeyId? UsedSkippedKey { get; init; }

    /// <summary>Which chain advances: the current receiving chain, the previous one, or the pending epoch's.</summary>
    public PqChainSlot Slot { get; init; }

    public byte[]? NewChainKey { get; init; }

    public uint NewNext { get; init; }

    public List<(SkippedKeyId Id, byte[] Key)> NewSkippedKeys { get; } = [];
}

internal enum PqChainSlot
{
    None,
    Current,
    Previous,
    Pending,
}

/// <summary>
/// The symmetric part of SPQR (§5): every epoch secret starts a chain per direction, and each message
/// takes the next key of its epoch's chain (KDF_CK, as the Double Ratchet's chains), so keys of earlier
/// messages cannot be computed from a later state. A party sends under one epoch and receives under
/// the current one and the one before it (late messages, §8.10), plus stored skipped keys.
/// </summary>
internal sealed class PqEpochChains : IDisposable
{
    private readonly bool _initiator;
    private PqChain _send;
    private PqChain _receive;
    private PqChain? _previousReceive;
    private ulong _pendingEpoch;
    private byte[]? _pendingSend;
    private byte[]? _pendingReceive;

    private PqEpochChains(bool initiator, PqChain send, PqChain receive)
    {
        _initiator = initiator;
        _send = send;
        _receive = receive;
    }

    public static PqEpochChains Create(bool initiator, ulong epoch, byte[] initiatorChain, byte[] responderChain) =>
        new(initiator, new PqChain(epoch, initiator ? initiatorChain : responderChain, 0), new PqChain(epoch, initiator ? responderChain : initiatorChain, 0));

    public ulong SendingEpoch => _send.Epoch;

    public ulong ReceivingEpoch => _receive.Epoch;

    /// <summary>A new epoch secret has produced the chains of <paramref name="epoch"/>; they take over when first used.</summary>
    public void AddEpoch(ulong epoch, byte[] initiatorChain, byte[] responderChain)
    {
        // Each side uses an epoch's chains before it can learn the next epoch (ML-KEM Braid's
        // sending_epoch rule); a chain still pending here was skipped over, so take it now.
        if (_pendingSend is not null) SwitchSend();
        if (_pendingReceive is not null) SwitchReceive();
        _pendingEpoch = epoch;
        _pendingSend = _initiator ? initiatorChain : responderChain;
        _pendingReceive = _initiator ? responderChain : initiatorChain;
    }

    /// <summary>The next sending key, under <paramref name="epoch"/> (the SCKA's sending_epoch).</summary>
    public (uint Number, byte[] MessageKey) NextSendingKey(ulong epoch)
    {
        if (epoch != _send.Epoch)
        {
            if (_pendingSend is null || _pendingEpoch != epoch)
                throw new MalformedInputException($"Session state is inconsistent: SPQR has no sending chain for epoch {epoch}.");
            SwitchSend();
        }

        if (_send.Next == uint.MaxValue)
            throw new RatchetTooFarAheadException("SPQR sending chain exhausted; the session needs a fresh setup.");
        var key = new byte[RatchetKdf.KeySize];
        RatchetKdf.ChainStep(_send.Key, _send.Key, key);
        return (_send.Next++, key);
    }

    public PqKeyPlan PlanReceive(ulong epoch, uint number, SkippedMessageKeys skipped, RatchetLimits limits)
    {
        var id = SkippedKeyId.Quantum(epoch, number);
        if (skipped.TryPeek(id, out var stored))
            return new PqKeyPlan { MessageKey = (byte[])stored.Clone(), UsedSkippedKey = id };

        if (epoch == _receive.Epoch) return Advance(_receive, PqChainSlot.Current, number, limits);
        if (_previousReceive is not null && epoch == _previousReceive.Epoch) return Advance(_previousReceive, PqChainSlot.Previous, number, limits);
        if (_pendingReceive is not null && epoch == _pendingEpoch)
            return Advance(new PqChain(epoch, _pendingReceive, 0), PqChainSlot.Pending, number, limits);
        if (epoch < _receive.Epoch)
            throw new RatchetReplayException($"Post-quantum epoch {epoch} is no longer kept by this session.");
        throw new RatchetAuthenticationException($"Message is keyed under post-quantum epoch {epoch}, which this session does not know.");
    }

    public void Commit(PqKeyPlan plan, SkippedMessageKeys skipped, RatchetLimits limits)
    {
        if (plan.UsedSkippedKey is { } used)
        {
            skipped.Remove(used);
            return;
        }

        if (plan.Slot == PqChainSlot.Pending) SwitchReceive();
        var chain = plan.Slot == PqChainSlot.Previous ? _previousReceive! : _receive;
        plan.NewChainKey!.CopyTo(chain.Key, 0);
        CryptographicOperations.ZeroMemory(plan.NewChainKey);
        chain.Next = plan.NewNext;
        foreach (var (id, key) in plan.NewSkippedKeys) skipped.Add(id, key, limits.MaxSkippedKeys);
    }

    public void WriteTo(CborWriter writer)
    {
        writer.WriteStartArray(6);
        writer.WriteBoolean(_initiator);
        WriteChain(writer, _send);
        WriteChain(writer, _receive);
        if (_previousReceive is null) writer.WriteNull();
        else WriteChain(writer, _previousReceive);
        writer.WriteUInt64(_pendingEpoch);
        writer.WriteStartArray(2);
        StateCbor.WriteOptional(writer, _pendingSend);
        StateCbor.WriteOptional(writer, _pendingReceive);
        writer.WriteEndArray();
        writer.WriteEndArray();
    }

    public static PqEpochChains ReadFrom(CborReader reader)
    {
        CanonicalCbor.ReadArrayStart(reader, 6);
        var initiator = reader.ReadBoolean();
        var chains = new PqEpochChains(initiator, ReadChain(reader), ReadChain(reader));
        if (reader.PeekState() == CborReaderState.Null) reader.ReadNull();
        else chains._previousReceive = ReadChain(reader);
        chains._pendingEpoch = reader.ReadUInt64();
        CanonicalCbor.ReadArrayStart(reader, 2);
        chains._pendingSend = StateCbor.ReadOptional(reader, RatchetKdf.KeySize);
        chains._pendingReceive = StateCbor.ReadOptional(reader, RatchetKdf.KeySize);
        reader.ReadEndArray();
        reader.ReadEndArray();
        return chains;
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_send.Key);
        CryptographicOperations.ZeroMemory(_receive.Key);
        if (_previousReceive is not null) CryptographicOperations.ZeroMemory(_previousReceive.Key);
        if (_pendingSend is not null) CryptographicOperations.ZeroMemory(_pendingSend);
        if (_pendingReceive is not null) CryptographicOperations.ZeroMemory(_pendingReceive);
    }

    private static PqKeyPlan Advance(PqChain chain, PqChainSlot slot, uint number, RatchetLimits limits)
    {
        if (number < chain.Next)
            throw new RatchetReplayException($"Post-quantum message {number} of epoch {chain.Epoch} was already decrypted or its key evicted.");
        if (number - chain.Next > (uint)limits.MaxForwardJump || number == uint.MaxValue)
            throw new RatchetTooFarAheadException($"Message is {number - chain.Next} messages ahead of its post-quantum chain; the limit is {limits.MaxForwardJump}.");
        var key = (byte[])chain.Key.Clone();
        var plan = new PqKeyPlan { MessageKey = new byte[RatchetKdf.KeySize], Slot = slot, NewChainKey = key, NewNext = number + 1 };
        for (var n = chain.Next; n < number; n++)
        {
            var skippedKey = new byte[RatchetKdf.KeySize];
            RatchetKdf.ChainStep(key, key, skippedKey);
            plan.NewSkippedKeys.Add((SkippedKeyId.Quantum(chain.Epoch, n), skippedKey));
        }

        RatchetKdf.ChainStep(key, key, plan.MessageKey);
        return plan;
    }

    private void SwitchSend()
    {
        CryptographicOperations.ZeroMemory(_send.Key);
        _send = new PqChain(_pendingEpoch, _pendingSend!, 0);
        _pendingSend = null;
    }

    private void SwitchReceive()
    {
        if (_previousReceive is not null) CryptographicOperations.ZeroMemory(_previousReceive.Key);
        _previousReceive = _receive;
        _receive = new PqChain(_pendingEpoch, _pendingReceive!, 0);
        _pendingReceive = null;
    }

    private static void WriteChain(CborWriter writer, PqChain chain)
    {
        writer.WriteStartArray(3);
        writer.WriteUInt64(chain.Epoch);
        writer.WriteByteString(chain.Key);
        writer.WriteUInt32(chain.Next);
        writer.WriteEndArray();
    }

    private static PqChain ReadChain(CborReader reader)
    {
        CanonicalCbor.ReadArrayStart(reader, 3);
        var chain = new PqChain(reader.ReadUInt64(), StateCbor.ReadExact(reader, RatchetKdf.KeySize), StateCbor.ReadUInt32(reader));
        reader.ReadEndArray();
        return chain;
    }
}
