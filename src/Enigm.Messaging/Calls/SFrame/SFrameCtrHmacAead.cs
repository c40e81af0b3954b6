using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Enigm.Messaging.Calls.SFrame;

/// <summary>
/// RFC 9605 §4.5.1, the AES-CTR + HMAC AEAD (encrypt-then-MAC, as SRTP): the AEAD key is the encryption subkey
/// (first Nka bytes) then the authentication subkey (remaining Nh bytes);
/// <code>
/// ct  = AES-CTR(enc_key, nonce + 0x00000000, pt)
/// tag = truncate(HMAC(auth_key, len(aad):8 + len(ct):8 + Nt:8 + nonce + aad + ct), Nt)
/// </code>
/// AES-CTR is BouncyCastle's SIC mode over its AES engine; HMAC is the BCL's. Decryption checks the tag in
/// constant time before it decrypts anything.
/// </summary>
internal sealed class SFrameCtrHmacAead : SFrameAead
{
    private const int BlockSize = 16;

    private readonly SicBlockCipher _ctr;
    private readonly IncrementalHash _hmac;
    private readonly byte[] _counterBlock = new byte[BlockSize];

    public SFrameCtrHmacAead(SFrameCipherSuite suite, ReadOnlySpan<byte> key)
        : base(suite)
    {
        _ctr = new SicBlockCipher(AesUtilities.CreateEngine());
        // The key is set once; each frame re-initialises only the counter (a null key parameter keeps it).
        _ctr.Init(true, new ParametersWithIV(new KeyParameter(key[..suite.AesKeySize]), new byte[BlockSize]));
        _hmac = IncrementalHash.CreateHMAC(suite.Hash, key[suite.AesKeySize..]);
    }

    public override void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> plaintext, Span<byte> ciphertextAndTag)
    {
        var ciphertext = ciphertextAndTag[..plaintext.Length];
        Ctr(nonce, plaintext, ciphertext);
        Span<byte> tag = stackalloc byte[64];
        ComputeTag(nonce, aad, ciphertext, tag);
        tag[..Suite.TagSize].CopyTo(ciphertextAndTag[plaintext.Length..]);
    }

    public override bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> ciphertextAndTag, Span<byte> plaintext)
    {
        var length = ciphertextAndTag.Length - Suite.TagSize;
        var ciphertext = ciphertextAndTag[..length];
        Span<byte> candidate = stackalloc byte[64];
        ComputeTag(nonce, aad, ciphertext, candidate);
        if (!CryptographicOperations.FixedTimeEquals(candidate[..Suite.TagSize], ciphertextAndTag[length..]))
            return false;
        Ctr(nonce, ciphertext, plaintext[..length]);
        return true;
    }

    private void ComputeTag(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> ciphertext, Span<byte> tag)
    {
        Span<byte> lengths = stackalloc byte[24];
        BinaryPrimitives.WriteUInt64BigEndian(lengths, (ulong)aad.Length);
        BinaryPrimitives.WriteUInt64BigEndian(lengths[8..], (ulong)ciphertext.Length);
        BinaryPrimitives.WriteUInt64BigEndian(lengths[16..], (ulong)Suite.TagSize);
        _hmac.AppendData(lengths);
        _hmac.AppendData(nonce);
        _hmac.AppendData(aad);
        _hmac.AppendData(ciphertext);
        _hmac.GetHashAndReset(tag[..Suite.HashSize]);
    }

    /// <summary>AES-CTR from the initial counter block nonce ‖ 0x00000000 (§4.5.1).</summary>
    private void Ctr(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> input, Span<byte> output)
    {
        nonce.CopyTo(_counterBlock);
        _counterBlock.AsSpan(nonce.Length).Clear();
        _ctr.Init(true, new ParametersWithIV(null, _counterBlock));

        var whole = input.Length - (input.Length % BlockSize);
        for (var offset = 0; offset < whole; offset += BlockSize)
            _ctr.ProcessBlock(input.Slice(offset, BlockSize), output.Slice(offset, BlockSize));

        if (whole == input.Length) return;
        // The last partial block: CTR is a keystream XOR, so pad with zeros and keep the first bytes.
        Span<byte> block = stackalloc byte[BlockSize];
        block.Clear();
        input[whole..].CopyTo(block);
        _ctr.ProcessBlock(block, block);
        block[..(input.Length - whole)].CopyTo(output[whole..]);
        CryptographicOperations.ZeroMemory(block);
    }

    public override void Dispose()
    {
        _hmac.Dispose();
        _ctr.Reset();
    }
}
