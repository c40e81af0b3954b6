using System.Buffers.Binary;
using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;

namespace Enigm.Messaging.Ratchet;

/// <summary>
/// The key derivation functions of the Triple Ratchet, each with the section of the Double Ratchet
/// specification (revision 3) or the ML-KEM Braid specification it instantiates. Every label is
/// distinct, so no output of one function can be presented as the output of another.
/// </summary>
internal sealed class RatchetKdf(IKdf hkdf)
{
    public const int KeySize = 32;
    public const int NonceSize = 12;

    private static readonly byte[] InitInfo = "Enigm triple ratchet v1 init"u8.ToArray();
    private static readonly byte[] RootInfo = "Enigm double ratchet v1 root"u8.ToArray();
    private static readonly byte[] MessageKeyInfo = "Enigm triple ratchet v1 message key"u8.ToArray();
    private static readonly byte[] EpochSecretInfo = "Enigm SPQR v1 epoch secret"u8.ToArray();
    private static readonly byte[] EpochChainsInfo = "Enigm SPQR v1 epoch chains"u8.ToArray();
    private static readonly byte[] AuthenticatorInfo = "Enigm SPQR v1 authenticator"u8.ToArray();

    // KDF_CK inputs (§3.1; the specification's recommended algorithms): HMAC-SHA-256 keyed by the chain key over a constant.
    // The HMAC is the provider selected by measurement (libsodium where available: ProviderCatalog.Symmetric.cs);
    // it is static because KDF_CK is a pure function that sender keys (Groups) use without a session.
    private static readonly IMac Hmac = CryptoProviders.Default.Mac(MacAlgorithm.HmacSha256);

    // The item MACs cover a whole encapsulation key or ciphertext (≈ 1.1–1.2 KB), where the hash's speed decides, not
    // the per-call cost: libsodium's portable SHA-256 took 5.5 µs for an ek ‖ MAC item, OpenSSL's (SHA-NI) through the
    // BCL provider less than half that (docs/benchmarks.md, "Fifth pass"). Same HMAC-SHA-256, same tag.
    private static readonly IMac ItemHmac = CryptoProviders.Default.Create<IMac>(MacAlgorithm.HmacSha256, ProviderNames.Bcl);

    private static readonly byte[] MessageKeyConstant = [0x01];
    private static readonly byte[] ChainKeyConstant = [0x02];

    public IKdf Hkdf { get; } = hkdf;

    /// <summary>
    /// Triple Ratchet initialisation (§6): one shared secret from the key agreement seeds both
    /// ratchets, split by HKDF so that neither ratchet's initial key is the other's. Output: the Double
    /// Ratchet's initial root key (§3.3 "SK"), the SPQR root key and the SPQR authenticator key.
    /// </summary>
    public void SplitSharedSecret(ReadOnlySpan<byte> sharedSecret, Span<byte> doubleRatchetRoot, Span<byte> pqRoot, Span<byte> pqAuthenticator)
    {
        Span<byte> okm = stackalloc byte[3 * KeySize];
        Hkdf.DeriveKey(sharedSecret, stackalloc byte[KeySize], InitInfo, okm);
        okm[..KeySize].CopyTo(doubleRatchetRoot);
        okm.Slice(KeySize, KeySize).CopyTo(pqRoot);
        okm.Slice(2 * KeySize, KeySize).CopyTo(pqAuthenticator);
        CryptographicOperations.ZeroMemory(okm);
    }

    /// <summary>§3.1 KDF_RK(rk, dh_out): HKDF-SHA-256 with rk as salt and dh_out as input key material.</summary>
    public void RootStep(ReadOnlySpan<byte> rootKey, ReadOnlySpan<byte> dhOutput, Span<byte> newRootKey, Span<byte> chainKey)
    {
        Span<byte> okm = stackalloc byte[2 * KeySize];
        Hkdf.DeriveKey(dhOutput, rootKey, RootInfo, okm);
        okm[..KeySize].CopyTo(newRootKey);
        okm[KeySize..].CopyTo(chainKey);
        CryptographicOperations.ZeroMemory(okm);
    }

    /// <summary>
    /// §3.1 KDF_CK(ck): message key = HMAC(ck, 0x01), next chain key = HMAC(ck, 0x02), as one
    /// <see cref="IMac.ComputePair"/> so the provider absorbs the chain key's pads once for both. The next
    /// chain key may overwrite the current one in place (ComputePair allows a tag to overlap the key).
    /// </summary>
    public static void ChainStep(ReadOnlySpan<byte> chainKey, Span<byte> nextChainKey, Span<byte> messageKey) =>
        Hmac.ComputePair(chainKey, MessageKeyConstant, messageKey, ChainKeyConstant, nextChainKey);

    /// <summary>
    /// §6 (Triple Ratchet encrypt/decrypt): the message key is derived from both ratchets' message
    /// keys with the post-quantum key as HKDF salt and the classical key as input key material (as
    /// libsignal does), so it stays secret while either one does. The same HKDF call is §3.1's
    /// recommended ENCRYPT expansion: it yields the AEAD key and the AEAD nonce.
    /// </summary>
    public void HybridMessageKey(ReadOnlySpan<byte> classicalKey, ReadOnlySpan<byte> pqKey, Span<byte> aeadKey, Span<byte> nonce)
    {
        Span<byte> okm = stackalloc byte[KeySize + NonceSize];
        Hkdf.DeriveKey(classicalKey, pqKey, MessageKeyInfo, okm);
        okm[..KeySize].CopyTo(aeadKey);
        okm[KeySize..].CopyTo(nonce);
        CryptographicOperations.ZeroMemory(okm);
    }

    /// <summary>ML-KEM Braid: the SCKA output key of an epoch, bound to the epoch number.</summary>
    public void EpochSecret(ReadOnlySpan<byte> kemSharedSecret, ulong epoch, Span<byte> epochSecret) =>
        Hkdf.DeriveKey(kemSharedSecret, stackalloc byte[KeySize], WithEpoch(EpochSecretInfo, epoch), epochSecret);

    /// <summary>
    /// §5 (SPQR): a new epoch secret advances the SPQR root chain and starts one sending chain per
    /// direction for that epoch. Output: next root key, initiator→responder chain, responder→initiator chain.
    /// </summary>
    public void EpochChains(ReadOnlySpan<byte> rootKey, ReadOnlySpan<byte> epochSecret, ulong epoch, Span<byte> newRootKey, Span<byte> initiatorChain, Span<byte> responderChain)
    {
        Span<byte> okm = stackalloc byte[3 * KeySize];
        Hkdf.DeriveKey(epochSecret, rootKey, WithEpoch(EpochChainsInfo, epoch), okm);
        okm[..KeySize].CopyTo(newRootKey);
        okm.Slice(KeySize, KeySize).CopyTo(initiatorChain);
        okm.Slice(2 * KeySize, KeySize).CopyTo(responderChain);
        CryptographicOperations.ZeroMemory(okm);
    }

    /// <summary>ML-KEM Braid Authenticator.Update: the MAC key absorbs each epoch secret in turn.</summary>
    public void AuthenticatorUpdate(ReadOnlySpan<byte> authenticatorKey, ReadOnlySpan<byte> epochSecret, ulong epoch, Span<byte> newAuthenticatorKey) =>
        Hkdf.DeriveKey(epochSecret, authenticatorKey, WithEpoch(AuthenticatorInfo, epoch), newAuthenticatorKey);

    /// <summary>
    /// ML-KEM Braid MacHdr/MacCt: HMAC-SHA-256 over a label, the epoch and the item (the whole
    /// encapsulation key, or the whole ciphertext, since no incremental ML-KEM is available here).
    /// </summary>
    public static byte[] ItemMac(ReadOnlySpan<byte> authenticatorKey, ReadOnlySpan<byte> label, ulong epoch, ReadOnlySpan<byte> item)
    {
        var input = new byte[label.Length + 8 + item.Length];
        label.CopyTo(input);
        BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(label.Length), epoch);
        item.CopyTo(input.AsSpan(label.Length + 8));
        var tag = new byte[MacAlgorithm.HmacSha256.TagSize];
        ItemHmac.Compute(authenticatorKey, input, tag);
        return tag;
    }

    private static byte[] WithEpoch(byte[] label, ulong epoch)
    {
        var info = new byte[label.Length + 8];
        label.CopyTo(info, 0);
        BinaryPrimitives.WriteUInt64BigEndian(info.AsSpan(label.Length), epoch);
        return info;
    }
}
