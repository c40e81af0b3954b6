using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;
using Enigm.Messaging.Ratchet;
using Enigm.Messaging.Sessions;

namespace Enigm.Messaging.Groups.SenderKeys;

/// <summary>
/// The sender-key chain ratchet (libsignal <c>SenderChainKey</c>): message key seed = HMAC-SHA-256(ck, 0x01),
/// next chain key = HMAC-SHA-256(ck, 0x02), the Double Ratchet's KDF_CK (§5.2 of the Double Ratchet
/// specification's recommendations). A seed becomes an AES-256-GCM key and nonce through HKDF-SHA-256 with its
/// own label (libsignal expands it with HKDF "WhisperGroup" into an AES-CBC key and IV; Enigm uses an AEAD).
/// </summary>
internal static class SenderKeyKdf
{
    public const int KeySize = RatchetKdf.KeySize;
    public const int NonceSize = RatchetKdf.NonceSize;

    private static readonly byte[] MessageKeyInfo = "Enigm sender key v1 message key"u8.ToArray();

    /// <summary>One chain step in place: <paramref name="chainKey"/> advances, the message key seed is returned.</summary>
    public static byte[] Step(byte[] chainKey)
    {
        var seed = new byte[KeySize];
        RatchetKdf.ChainStep(chainKey, chainKey, seed);
        return seed;
    }

    public static void MessageKey(IKdf hkdf, ReadOnlySpan<byte> seed, Span<byte> key, Span<byte> nonce)
    {
        Span<byte> okm = stackalloc byte[KeySize + NonceSize];
        hkdf.DeriveKey(seed, [], MessageKeyInfo, okm);
        okm[..KeySize].CopyTo(key);
        okm[KeySize..].CopyTo(nonce);
        CryptographicOperations.ZeroMemory(okm);
    }
}

/// <summary>This device's own sending chain in one group.</summary>
internal sealed class OwnSenderChain(byte[] chainId, byte[] chainKey, uint iteration, PrivateKey signingKey, DateTimeOffset createdAt, long memberSince) : IDisposable
{
    public byte[] ChainId { get; } = chainId;

    /// <summary>The chain key for <see cref="Iteration"/> (the next message's).</summary>
    public byte[] ChainKey { get; } = chainKey;

    public uint Iteration { get; set; } = iteration;

    public PrivateKey SigningKey { get; } = signingKey;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    /// <summary>This device's <see cref="GroupMembership.MemberSince"/> when the chain was made: if it changes, this device left and came back.</summary>
    public long MemberSince { get; } = memberSince;

    /// <summary>
    /// Every device this chain was given to, with its <see cref="GroupMembership.MemberSince"/> then. One of them
    /// leaving the membership forces a new chain; one that left and came back gets the current state again.
    /// </summary>
    public Dictionary<SessionAddress, long> DistributedTo { get; } = [];

    public SignatureAlgorithm SigningAlgorithm => (SignatureAlgorithm)SigningKey.Algorithm;

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(ChainKey);
        SigningKey.Dispose();
    }
}

/// <summary>Another member device's chain as this device follows it.</summary>
internal sealed class ReceivedSenderChain(byte[] chainId, SessionAddress sender, SignatureAlgorithm signingAlgorithm, byte[] signingPublicKey, byte[] chainKey, uint iteration, long order)
{
    public byte[] ChainId { get; } = chainId;

    public SessionAddress Sender { get; } = sender;

    public SignatureAlgorithm SigningAlgorithm { get; } = signingAlgorithm;

    public byte[] SigningPublicKey { get; } = signingPublicKey;

    /// <summary>The chain key for <see cref="Iteration"/>: the next message this device has not derived a key for.</summary>
    public byte[] ChainKey { get; set; } = chainKey;

    public uint Iteration { get; set; } = iteration;

    /// <summary>When this device learned the chain, relative to its other chains (newest is largest).</summary>
    public long Order { get; } = order;

    public SkippedKeyId KeyId(uint iteration)
    {
        Span<byte> name = stackalloc byte[32];
        ChainId.CopyTo(name);
        return SkippedKeyId.FromChainBytes(false, name, iteration);
    }
}
