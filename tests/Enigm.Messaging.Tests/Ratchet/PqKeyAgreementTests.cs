using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Ratchet;
using Enigm.Messaging.Ratchet.PostQuantum;
using Xunit;

namespace Enigm.Messaging.Tests.Ratchet;

/// <summary>The SCKA on its own, fed chunks directly (below the AEAD that normally protects them).</summary>
public sealed class PqKeyAgreementTests
{
    private static readonly RatchetKdf Kdf = new(CryptoProviders.Default.Kdf(KdfAlgorithm.HkdfSha256));

    [Fact]
    public void Both_sides_derive_the_same_epoch_chains_from_whole_chunked_items()
    {
        var (ek, ct, ekChains, ctChains) = Pair();
        RunEpoch(ek, ct, ekChains, ctChains);
        Assert.Equal(PqPhase.AwaitingEk, ek.Phase);
        Assert.Equal(2UL, ek.Epoch);
        // The ek side now sends under epoch 1; the ct side receives under it.
        var (number, sent) = ekChains.NextSendingKey(1);
        var skipped = new SkippedMessageKeys();
        var plan = ctChains.PlanReceive(1, number, skipped, RatchetLimits.Default);
        Assert.Equal(sent, plan.MessageKey);
    }

    [Fact]
    public void Any_38_of_the_encapsulation_key_chunks_complete_it()
    {
        var (ek, ct, _, ctChains) = Pair();
        var chunks = Enumerable.Range(0, 80).Select(_ => ek.NextChunk()).ToList();
        // Drop the first 42 (all systematic chunks but none of the parity ones): 38 parity chunks remain.
        foreach (var (index, chunk) in chunks.Skip(42))
        {
            var plan = ct.PlanReceive(1, index, chunk);
            if (plan is not null) ct.Commit(plan, ctChains);
        }

        Assert.Equal(PqPhase.SendingCt, ct.Phase);
    }

    [Fact]
    public void Tampered_chunk_is_caught_by_the_authenticator()
    {
        var (ek, ct, _, ctChains) = Pair();
        var chunks = Enumerable.Range(0, 38).Select(_ => ek.NextChunk()).ToList();
        chunks[5].Chunk[3] ^= 0x01;
        var error = Assert.Throws<RatchetAuthenticationException>(() => Feed(ct, ctChains, chunks));
        Assert.Contains("authenticator", error.Message, StringComparison.Ordinal);
        Assert.Equal(PqPhase.AwaitingEk, ct.Phase);
    }

    [Fact]
    public void Encapsulation_key_from_a_party_without_the_authenticator_key_is_refused()
    {
        var (_, ct, _, ctChains) = Pair();
        var (stranger, _, _, _) = Pair();
        var chunks = Enumerable.Range(0, 38).Select(_ => stranger.NextChunk()).ToList();
        Assert.Throws<RatchetAuthenticationException>(() => Feed(ct, ctChains, chunks));
    }

    [Fact]
    public void Tampered_ciphertext_chunk_is_caught_by_the_authenticator()
    {
        var (ek, ct, ekChains, ctChains) = Pair();
        Feed(ct, ctChains, Enumerable.Range(0, 38).Select(_ => ek.NextChunk()).ToList());
        var ctChunks = Enumerable.Range(0, 35).Select(_ => ct.NextChunk()).ToList();
        ctChunks[34].Chunk[0] ^= 0x40;
        Assert.Throws<RatchetAuthenticationException>(() => Feed(ek, ekChains, ctChunks));
        Assert.Equal(PqPhase.SendingEk, ek.Phase);
    }

    [Fact]
    public void Claims_of_an_impossible_epoch_are_refused()
    {
        var (ek, ct, _, _) = Pair();
        Assert.Throws<RatchetAuthenticationException>(() => ct.PlanReceive(2, 0, []));
        Assert.Throws<RatchetAuthenticationException>(() => ek.PlanReceive(3, 0, []));
    }

    private static void RunEpoch(PqKeyAgreement ek, PqKeyAgreement ct, PqEpochChains ekChains, PqEpochChains ctChains)
    {
        Feed(ct, ctChains, Enumerable.Range(0, 38).Select(_ => ek.NextChunk()).ToList());
        Feed(ek, ekChains, Enumerable.Range(0, 35).Select(_ => ct.NextChunk()).ToList());
    }

    private static void Feed(PqKeyAgreement receiver, PqEpochChains chains, List<(ushort Index, byte[] Chunk)> chunks)
    {
        foreach (var (index, chunk) in chunks)
        {
            var plan = receiver.PlanReceive(receiver.Epoch, index, chunk);
            if (plan is not null) receiver.Commit(plan, chains);
        }
    }

    private static (PqKeyAgreement Ek, PqKeyAgreement Ct, PqEpochChains EkChains, PqEpochChains CtChains) Pair()
    {
        var kem = CryptoProviders.Default.Kem(KemAlgorithm.MlKem768);
        var root = RandomNumberGenerator.GetBytes(32);
        var auth = RandomNumberGenerator.GetBytes(32);
        var ek = PqKeyAgreement.Create(kem, Kdf, initiator: true, (byte[])root.Clone(), (byte[])auth.Clone());
        var ct = PqKeyAgreement.Create(kem, Kdf, initiator: false, (byte[])root.Clone(), (byte[])auth.Clone());
        var ekInitial = ek.InitialEpoch();
        var ctInitial = ct.InitialEpoch();
        return (ek, ct, PqEpochChains.Create(true, 0, ekInitial.InitiatorChain, ekInitial.ResponderChain),
            PqEpochChains.Create(false, 0, ctInitial.InitiatorChain, ctInitial.ResponderChain));
    }
}
