using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Primitives;

namespace Enigm.Messaging.Ratchet.PostQuantum;

/// <summary>What decrypting one message would change in SPQR.</summary>
internal sealed record PqReceivePlan(PqKeyPlan Key, PqAgreementPlan? Agreement);

/// <summary>The SPQR fields of an outgoing message and its post-quantum message key.</summary>
internal readonly record struct PqSend(ulong Epoch, uint Number, ushort ChunkIndex, byte[] Chunk, byte[] MessageKey);

/// <summary>
/// The Sparse Post-Quantum Ratchet (Double Ratchet §5): a sparse continuous key agreement
/// (<see cref="PqKeyAgreement"/>, ML-KEM-768) whose epoch secrets feed per-epoch symmetric chains
/// (<see cref="PqEpochChains"/>). A message is keyed under epoch − 1 of the sender's SCKA epoch: the
/// latest epoch the receiver is guaranteed to know (ML-KEM Braid "sending_epoch").
/// </summary>
internal sealed class SparsePqRatchet : IDisposable
{
    private readonly PqKeyAgreement _agreement;
    private readonly PqEpochChains _chains;

    private SparsePqRatchet(PqKeyAgreement agreement, PqEpochChains chains)
    {
        _agreement = agreement;
        _chains = chains;
    }

    /// <summary>Epochs whose secret this side holds (epoch 0 is the one from session setup).</summary>
    public ulong KnownEpochs => _agreement.Phase == PqPhase.SendingCt ? _agreement.Epoch + 1 : _agreement.Epoch;

    public ulong SendingEpoch => _chains.SendingEpoch;

    public static SparsePqRatchet Create(IKem kem, RatchetKdf kdf, bool initiator, byte[] rootKey, byte[] authenticatorKey)
    {
        var agreement = PqKeyAgreement.Create(kem, kdf, initiator, rootKey, authenticatorKey);
        var initial = agreement.InitialEpoch();
        return new SparsePqRatchet(agreement, PqEpochChains.Create(initiator, 0, initial.InitiatorChain, initial.ResponderChain));
    }

    public PqSend NextSend()
    {
        var (index, chunk) = _agreement.NextChunk();
        var epoch = _agreement.Epoch;
        var (number, key) = _chains.NextSendingKey(epoch - 1);
        return new PqSend(epoch, number, index, chunk, key);
    }

    /// <summary>The message key for <paramref name="header"/>, as a plan (nothing changes yet).</summary>
    public PqKeyPlan PlanReceiveKey(RatchetHeader header, SkippedMessageKeys skipped, RatchetLimits limits) =>
        _chains.PlanReceive(header.PqEpoch - 1, header.PqMessageNumber, skipped, limits);

    /// <summary>
    /// What the header's epoch and chunk do to the key agreement. Called only once the message has
    /// authenticated, so a forged message never costs a decapsulation.
    /// </summary>
    public PqReceivePlan PlanReceive(PqKeyPlan key, RatchetHeader header) =>
        new(key, _agreement.PlanReceive(header.PqEpoch, header.ChunkIndex, header.Chunk));

    /// <summary>Key first (it may take over a pending epoch's chain), then the agreement (it may add the next epoch).</summary>
    public void Commit(PqReceivePlan plan, SkippedMessageKeys skipped, RatchetLimits limits)
    {
        _chains.Commit(plan.Key, skipped, limits);
        if (plan.Agreement is not null) _agreement.Commit(plan.Agreement, _chains);
    }

    public void WriteTo(CborWriter writer)
    {
        writer.WriteStartArray(2);
        _agreement.WriteTo(writer);
        _chains.WriteTo(writer);
        writer.WriteEndArray();
    }

    public static SparsePqRatchet ReadFrom(CborReader reader, IKem kem, RatchetKdf kdf)
    {
        CanonicalCbor.ReadArrayStart(reader, 2);
        var ratchet = new SparsePqRatchet(PqKeyAgreement.ReadFrom(reader, kem, kdf), PqEpochChains.ReadFrom(reader));
        reader.ReadEndArray();
        return ratchet;
    }

    public void Dispose()
    {
        _agreement.Dispose();
        _chains.Dispose();
    }
}
