using System.Security.Cryptography;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Ratchet;

namespace Enigm.Messaging.Groups.SenderKeys;

/// <summary>
/// What decrypting one message would change in a received chain, computed without changing it (as the Double
/// Ratchet's §3.5 discards state changes on failure): the message key seed, and either the skipped key it uses
/// or the chain's new key, position and newly skipped keys.
/// </summary>
internal sealed class SenderKeyReceivePlan
{
    private SenderKeyReceivePlan(byte[] seed) => Seed = seed;

    public byte[] Seed { get; }

    private SkippedKeyId? UsedSkippedKey { get; init; }

    private byte[]? NewChainKey { get; init; }

    private uint NewIteration { get; init; }

    private List<(SkippedKeyId Id, byte[] Key)> NewSkippedKeys { get; } = [];

    public static SenderKeyReceivePlan For(ReceivedSenderChain chain, uint iteration, SkippedMessageKeys skipped, int maxForwardJump)
    {
        if (iteration < chain.Iteration)
        {
            var id = chain.KeyId(iteration);
            return skipped.TryPeek(id, out var stored)
                ? new SenderKeyReceivePlan((byte[])stored.Clone()) { UsedSkippedKey = id }
                : throw new GroupMessageReplayException($"Message {iteration} of the chain of {chain.Sender} was already decrypted, its key was evicted, or it was sent before this device received the chain (at {chain.Iteration}).");
        }

        if (iteration - chain.Iteration > (uint)maxForwardJump)
            throw new GroupMessageReplayException($"Message {iteration} is {iteration - chain.Iteration} messages ahead of its chain; the limit is {maxForwardJump}.");
        if (iteration == uint.MaxValue) throw new GroupMessageReplayException("Message number at the end of the counter range.");
        var chainKey = (byte[])chain.ChainKey.Clone();
        var skippedKeys = new List<(SkippedKeyId, byte[])>();
        for (var n = chain.Iteration; n < iteration; n++) skippedKeys.Add((chain.KeyId(n), SenderKeyKdf.Step(chainKey)));
        var plan = new SenderKeyReceivePlan(SenderKeyKdf.Step(chainKey)) { NewChainKey = chainKey, NewIteration = iteration + 1 };
        plan.NewSkippedKeys.AddRange(skippedKeys);
        return plan;
    }

    public void Commit(ReceivedSenderChain chain, SkippedMessageKeys skipped, int maxSkippedKeys)
    {
        CryptographicOperations.ZeroMemory(Seed);
        if (UsedSkippedKey is { } used)
        {
            skipped.Remove(used);
            return;
        }

        CryptographicOperations.ZeroMemory(chain.ChainKey);
        chain.ChainKey = NewChainKey!;
        chain.Iteration = NewIteration;
        foreach (var (id, key) in NewSkippedKeys) skipped.Add(id, key, maxSkippedKeys);
    }

    public void Discard()
    {
        CryptographicOperations.ZeroMemory(Seed);
        if (NewChainKey is not null) CryptographicOperations.ZeroMemory(NewChainKey);
        foreach (var (_, key) in NewSkippedKeys) CryptographicOperations.ZeroMemory(key);
    }
}
