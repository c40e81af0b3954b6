using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.KnownAnswers;
using Enigm.Crypto.Primitives;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Enigm.Crypto.Providers.BouncyCastle;

/// <summary>RFC 5649 AES key wrap with padding from BouncyCastle's <see cref="Rfc5649WrapEngine"/>.</summary>
internal sealed class BouncyCastleAesKwp : IKeyWrap, IKeyWrapAnyKek
{
    public KeyWrapAlgorithm Algorithm => KeyWrapAlgorithm.AesKwp256;

    public string Provider => ProviderNames.BouncyCastle;

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
        var input = keyToWrap.ToArray();
        try
        {
            var engine = new Rfc5649WrapEngine(AesUtilities.CreateEngine());
            engine.Init(true, new KeyParameter(keyEncryptionKey));
            return engine.Wrap(input, 0, input.Length);
        }
        catch (Exception e) when (e is ArgumentException or CryptoException or InvalidOperationException)
        {
            throw new MalformedInputException("AES-KWP (BouncyCastle) rejected the inputs.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }

    public byte[] UnwrapAnyKek(ReadOnlySpan<byte> keyEncryptionKey, ReadOnlySpan<byte> wrappedKey)
    {
        SymmetricInputChecks.AnyAesKek(keyEncryptionKey);
        SymmetricInputChecks.WrappedKey(wrappedKey);
        var input = wrappedKey.ToArray();
        try
        {
            var engine = new Rfc5649WrapEngine(AesUtilities.CreateEngine());
            engine.Init(false, new KeyParameter(keyEncryptionKey));
            return engine.Unwrap(input, 0, input.Length);
        }
        catch (InvalidCipherTextException e)
        {
            throw new DecryptionFailedException("AES-KWP integrity check failed: wrong key or modified wrapped key.", e);
        }
        catch (Exception e) when (e is ArgumentException or CryptoException or InvalidOperationException)
        {
            throw new MalformedInputException("AES-KWP (BouncyCastle) rejected the inputs.", e);
        }
    }
}
