using System.Buffers.Binary;
using System.Security.Cryptography;
using Enigm.Crypto.Secrets;
using Enigm.Messaging.Calls.SFrame;
using Enigm.Messaging.Prekeys;

namespace Enigm.Messaging.Calls;

/// <summary>
/// The result of one offer/answer between two trusted devices: the call secret only they know, the transcript
/// hash, and the short authentication string both can read aloud (<see cref="CallTranscript"/>). The host keeps
/// one link per member and wraps each epoch secret under it. Dispose erases the call secret.
/// </summary>
public sealed class CallLink : IDisposable
{
    private static ReadOnlySpan<byte> WrapLabel => "enigm/call/v1/rekey-wrap"u8;

    private static ReadOnlySpan<byte> FirstEpochLabel => "enigm/call/v1/epoch-0"u8;

    private readonly SecretBytes _callSecret;

    internal CallLink(byte[] callId, SFrameCipherSuite suite, VerifiedIdentity local, VerifiedIdentity peer, byte[] transcriptHash, SecretBytes callSecret, string sas, bool direct)
    {
        Direct = direct;
        CallId = callId;
        Suite = suite;
        Local = local;
        Peer = peer;
        TranscriptHash = transcriptHash;
        _callSecret = callSecret;
        Sas = sas;
    }

    public byte[] CallId { get; }

    public SFrameCipherSuite Suite { get; }

    /// <summary>This device's verified identity.</summary>
    public VerifiedIdentity Local { get; }

    /// <summary>The other device's verified identity (the host, for a member; the member, for the host).</summary>
    public VerifiedIdentity Peer { get; }

    /// <summary>SHA-256 over the offer and answer (public).</summary>
    public byte[] TranscriptHash { get; }

    /// <summary>Four characters both sides read aloud; equal on both ends unless someone sat in the middle.</summary>
    public string Sas { get; }

    /// <summary>True when this link keys the call's epoch 0 itself (a two-party call, <see cref="Signals.CallOffer.Direct"/>).</summary>
    public bool Direct { get; }

    /// <summary>
    /// The secret of epoch 0 of a two-party call, derived from the call secret (and so bound to the transcript both sides
    /// hashed): <c>HKDF-Expand-SHA-256(call_secret, "enigm/call/v1/epoch-0", 32)</c>. Per-sender base keys then follow
    /// from it as from any epoch secret (RFC 9605 §5.1: keys from the call's end-to-end secret; §4.4.2 per KID).
    /// </summary>
    internal void FirstEpochSecret(Span<byte> epochSecret) => HKDF.Expand(HashAlgorithmName.SHA256, _callSecret.Span, epochSecret, FirstEpochLabel);

    /// <summary>AES-256-GCM of an epoch secret under this link (docs/calls.md, "Rekey"); the nonce is the epoch number.</summary>
    internal byte[] Wrap(ReadOnlySpan<byte> epochSecret, ulong epoch, ReadOnlySpan<byte> associatedData)
    {
        var wrapped = new byte[epochSecret.Length + 16];
        Span<byte> nonce = stackalloc byte[12];
        Nonce(epoch, nonce);
        var key = WrapKey();
        try
        {
            using var gcm = new AesGcm(key, 16);
            gcm.Encrypt(nonce, epochSecret, wrapped.AsSpan(0, epochSecret.Length), wrapped.AsSpan(epochSecret.Length), associatedData);
            return wrapped;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The epoch secret, or false if the wrapped bytes or their associated data were changed.</summary>
    internal bool TryUnwrap(ReadOnlySpan<byte> wrapped, ulong epoch, ReadOnlySpan<byte> associatedData, Span<byte> epochSecret)
    {
        Span<byte> nonce = stackalloc byte[12];
        Nonce(epoch, nonce);
        var key = WrapKey();
        try
        {
            using var gcm = new AesGcm(key, 16);
            gcm.Decrypt(nonce, wrapped[..^16], wrapped[^16..], epochSecret, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static void Nonce(ulong epoch, Span<byte> nonce)
    {
        // One key per link and a fresh epoch number per rekey: no (key, nonce) pair repeats.
        nonce.Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], epoch);
    }

    private byte[] WrapKey()
    {
        var key = new byte[32];
        HKDF.Expand(HashAlgorithmName.SHA256, _callSecret.Span, key, WrapLabel);
        return key;
    }

    public void Dispose() => _callSecret.Dispose();

    public override string ToString() => $"CallLink({Local} ↔ {Peer}, SAS {Sas}, redacted)";
}
