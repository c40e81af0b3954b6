using System.Buffers.Binary;
using System.Security.Cryptography;
using Enigm.Messaging.Errors;

namespace Enigm.Messaging.Calls.SFrame;

/// <summary>
/// What one KID encrypts or decrypts with: sframe_key (inside the AEAD) and sframe_salt, derived once from the
/// base key (RFC 9605 §4.4.2), and the nonce and AAD of §4.4.3/§4.4.4. Owned by one sender or receiver.
/// </summary>
internal sealed class SFrameKey : IDisposable
{
    /// <summary>The longest metadata a frame may authenticate (§9.4); the AAD is built on the stack.</summary>
    public const int MaxMetadataSize = 512;

    /// <summary>The largest plaintext one frame may carry (a video key frame fits; a relay frame limit is lower).</summary>
    public const int MaxPlaintextSize = 1 << 20;

    private readonly byte[] _salt;
    private readonly SFrameAead _aead;

    public SFrameKey(SFrameCipherSuite suite, ulong kid, ReadOnlySpan<byte> baseKey)
    {
        Suite = suite;
        Kid = kid;
        _salt = new byte[suite.NonceSize];
        Span<byte> key = stackalloc byte[suite.KeySize];
        try
        {
            SFrameKeyDerivation.Derive(suite, kid, baseKey, key, _salt);
            _aead = SFrameAead.Create(suite, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    public SFrameCipherSuite Suite { get; }

    public ulong Kid { get; }

    /// <summary>Replay state of this KID (receivers only; RFC 9605 §9.3).</summary>
    public SFrameReplayWindow Replay;

    /// <summary>§4.4.3: header ‖ AEAD.Encrypt(sframe_key, salt XOR CTR, header ‖ metadata, plaintext).</summary>
    public int Protect(ulong counter, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> metadata, Span<byte> frame)
    {
        CheckSizes(plaintext.Length, metadata.Length);
        var header = new SFrameHeader(Kid, counter);
        var headerSize = header.EncodedSize;
        var size = headerSize + plaintext.Length + Suite.TagSize;
        if (frame.Length < size)
            throw new ArgumentException($"The frame buffer has {frame.Length} bytes; {size} are needed.", nameof(frame));
        header.WriteTo(frame);

        Span<byte> nonce = stackalloc byte[12];
        Nonce(counter, nonce);
        Span<byte> aadBuffer = stackalloc byte[metadata.IsEmpty ? 0 : headerSize + metadata.Length];
        var aad = Aad(frame[..headerSize], metadata, aadBuffer);
        _aead.Seal(nonce, aad, plaintext, frame[headerSize..size]);
        return size;
    }

    /// <summary>§4.4.4: checks the tag over header ‖ metadata and writes the plaintext; false if it does not verify.</summary>
    public bool TryUnprotect(SFrameHeader header, ReadOnlySpan<byte> frame, int headerSize, ReadOnlySpan<byte> metadata, Span<byte> plaintext)
    {
        Span<byte> nonce = stackalloc byte[12];
        Nonce(header.Counter, nonce);
        Span<byte> aadBuffer = stackalloc byte[metadata.IsEmpty ? 0 : headerSize + metadata.Length];
        var aad = Aad(frame[..headerSize], metadata, aadBuffer);
        return _aead.Open(nonce, aad, frame[headerSize..], plaintext);
    }

    public static void CheckSizes(int plaintextLength, int metadataLength)
    {
        if (plaintextLength > MaxPlaintextSize)
            throw new MessageTooLargeException(plaintextLength, MaxPlaintextSize);
        if (metadataLength > MaxMetadataSize)
            throw new MessageTooLargeException(metadataLength, MaxMetadataSize);
    }

    /// <summary>§4.4.3: nonce = sframe_salt XOR encode_big_endian(CTR, Nn).</summary>
    private void Nonce(ulong counter, Span<byte> nonce)
    {
        _salt.CopyTo(nonce);
        var tail = BinaryPrimitives.ReadUInt64BigEndian(nonce[4..]) ^ counter;
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], tail);
    }

    private static ReadOnlySpan<byte> Aad(ReadOnlySpan<byte> header, ReadOnlySpan<byte> metadata, Span<byte> buffer)
    {
        if (metadata.IsEmpty) return header;
        header.CopyTo(buffer);
        metadata.CopyTo(buffer[header.Length..]);
        return buffer;
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_salt);
        _aead.Dispose();
    }
}
