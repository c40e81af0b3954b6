using System.Buffers.Binary;
using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.KnownAnswers;
using Enigm.Crypto.Primitives;

namespace Enigm.Crypto.Providers.Bcl;

/// <summary>
/// RFC 5649 AES key wrap with padding, written from the RFC on top of the platform's AES block cipher
/// (<see cref="Aes.EncryptEcb(ReadOnlySpan{byte}, Span{byte}, PaddingMode)"/> on one block at a time,
/// which is the raw AES permutation the RFC's W and W⁻¹ call for). The platform has no KWP of its own.
/// </summary>
internal sealed class BclAesKwp : IKeyWrap, IKeyWrapAnyKek
{
    private const int Block = 8;

    // RFC 5649 3: the high-order half of the Alternative Initial Value.
    private const uint AivConstant = 0xA65959A6;

    public KeyWrapAlgorithm Algorithm => KeyWrapAlgorithm.AesKwp256;

    public string Provider => ProviderNames.Bcl;

    public byte[] Wrap(ReadOnlySpan<byte> keyEncryptionKey, ReadOnlySpan<byte> keyToWrap)
    {
        SymmetricInputChecks.KeyWrapKek(Algorithm, keyEncryptionKey);
        return WrapAnyKek(keyEncryptionKey, keyToWrap);
    }

    public byte[] Unwrap(ReadOnlySpan<byte> keyEncryptionKey, ReadOnlySpan<byte> wrappedKey)
    {
        SymmetricInputChecks.KeyWrapKek(Algorithm, keyEncryptionKey);
        return UnwrapAnyKek(keyEncryptionKey, wrappedKey);
    }

    public byte[] WrapAnyKek(ReadOnlySpan<byte> keyEncryptionKey, ReadOnlySpan<byte> keyToWrap)
    {
        SymmetricInputChecks.AnyAesKek(keyEncryptionKey);
        SymmetricInputChecks.KeyToWrap(keyToWrap);
        if ((ulong)keyToWrap.Length > uint.MaxValue)
            throw new MalformedInputException("AES-KWP: the key to wrap is longer than 2^32 octets (RFC 5649 3).");

        // RFC 5649 4.1 step 1: n = ceil(m/8) blocks, zero-padded on the right.
        var n = (keyToWrap.Length + Block - 1) / Block;
        var output = new byte[(n + 1) * Block];
        keyToWrap.CopyTo(output.AsSpan(Block));

        // RFC 5649 3: AIV = A65959A6 ‖ MLI, MLI = m as a 32-bit big-endian integer.
        BinaryPrimitives.WriteUInt32BigEndian(output, AivConstant);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(4), (uint)keyToWrap.Length);

        using var aes = CreateAes(keyEncryptionKey);
        if (n == 1)
        {
            // RFC 5649 4.1: exactly eight padded octets: C = AES(K, AIV ‖ P1), one ECB block.
            EncryptBlock(aes, output, output);
            return output;
        }

        Span<byte> b = stackalloc byte[16];
        try
        {
            // RFC 3394 2.2.1 (index-based form), with A initialised to the AIV: output[0..8) is A, R[i] follows.
            for (var j = 0; j <= 5; j++)
            {
                for (var i = 1; i <= n; i++)
                {
                    var r = output.AsSpan(i * Block, Block);
                    output.AsSpan(0, Block).CopyTo(b);
                    r.CopyTo(b[Block..]);
                    EncryptBlock(aes, b, b);
                    var t = (ulong)(n * j + i);
                    BinaryPrimitives.WriteUInt64BigEndian(output, BinaryPrimitives.ReadUInt64BigEndian(b) ^ t);
                    b[Block..].CopyTo(r);
                }
            }

            return output;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(b);
        }
    }

    public byte[] UnwrapAnyKek(ReadOnlySpan<byte> keyEncryptionKey, ReadOnlySpan<byte> wrappedKey)
    {
        SymmetricInputChecks.AnyAesKek(keyEncryptionKey);
        SymmetricInputChecks.WrappedKey(wrappedKey);

        var n = wrappedKey.Length / Block - 1;
        var work = new byte[wrappedKey.Length];
        Span<byte> b = stackalloc byte[16];
        try
        {
            using (var aes = CreateAes(keyEncryptionKey))
            {
                if (n == 1)
                {
                    // RFC 5649 4.2: two blocks: A ‖ P1 = AES⁻¹(K, C).
                    DecryptBlock(aes, wrappedKey, work);
                }
                else
                {
                    // RFC 3394 2.2.2 (index-based form): work[0..8) is A, R[i] follows.
                    wrappedKey.CopyTo(work);
                    for (var j = 5; j >= 0; j--)
                    {
                        for (var i = n; i >= 1; i--)
                        {
                            var r = work.AsSpan(i * Block, Block);
                            var t = (ulong)(n * j + i);
                            BinaryPrimitives.WriteUInt64BigEndian(b, BinaryPrimitives.ReadUInt64BigEndian(work) ^ t);
                            r.CopyTo(b[Block..]);
                            DecryptBlock(aes, b, b);
                            b[..Block].CopyTo(work);
                            b[Block..].CopyTo(r);
                        }
                    }
                }
            }

            var mli = BinaryPrimitives.ReadUInt32BigEndian(work.AsSpan(4));
            if (!IntegrityHolds(work, n, mli))
                throw new DecryptionFailedException("AES-KWP integrity check failed: wrong key or modified wrapped key.");

            return work.AsSpan(Block, (int)mli).ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(work);
            CryptographicOperations.ZeroMemory(b);
        }
    }

    /// <summary>
    /// RFC 5649 3, the three checks on A and the padding, evaluated in full without early exit so that
    /// timing does not tell which check failed: (1) MSB32(A) = A65959A6; (2) 8·(n−1) &lt; MLI ≤ 8·n;
    /// (3) the 8·n − MLI rightmost octets of P are zero.
    /// </summary>
    private static bool IntegrityHolds(ReadOnlySpan<byte> work, int n, uint mli)
    {
        var diff = BinaryPrimitives.ReadUInt32BigEndian(work) ^ AivConstant;

        // (2) as arithmetic on 64-bit values: both differences are non-negative exactly when MLI is in range.
        var low = (long)mli - (8L * (n - 1) + 1);
        var high = 8L * n - mli;
        var outOfRange = (ulong)(low | high) >> 63;

        // (3) padLength = 8n − MLI, clamped to 0..8 so that an out-of-range MLI still walks the same bytes.
        var padLength = (int)Math.Clamp(high, 0, 8);
        var lastBlock = work.Slice(n * Block, Block);
        var padding = 0;
        for (var k = 0; k < Block; k++)
        {
            // mask is 0xFF when k ≥ 8 − padLength, else 0x00, computed without a branch.
            var mask = ~((k - (Block - padLength)) >> 31) & 0xFF;
            padding |= lastBlock[k] & mask;
        }

        var failure = (ulong)diff | outOfRange | (uint)padding;
        return failure == 0;
    }

    private static Aes CreateAes(ReadOnlySpan<byte> keyEncryptionKey)
    {
        var aes = Aes.Create();
        try
        {
            aes.SetKey(keyEncryptionKey);
            return aes;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            aes.Dispose();
            throw new MalformedInputException("AES-KWP: the platform rejected the key-encryption key.", e);
        }
    }

    private static void EncryptBlock(Aes aes, ReadOnlySpan<byte> input, Span<byte> output) =>
        aes.EncryptEcb(input[..16], output[..16], PaddingMode.None);

    private static void DecryptBlock(Aes aes, ReadOnlySpan<byte> input, Span<byte> output) =>
        aes.DecryptEcb(input[..16], output[..16], PaddingMode.None);
}
