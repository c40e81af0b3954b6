using System.Security.Cryptography;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Errors;
using NSec.Cryptography;

namespace Enigm.Keys.Protection;

/// <summary>Argon2id through NSec (libsodium's crypto_pwhash_argon2id, Argon2 version 0x13).</summary>
internal static class Argon2idKdf
{
    /// <summary>Output length: one AES-256 key.</summary>
    public const int KeySize = 32;

    /// <summary>RFC 9106 Argon2id via libsodium's crypto_pwhash_argon2id (NSec), 32-byte output.</summary>
    public static SecretBytes Derive(SecretBytes passphrase, ReadOnlySpan<byte> salt, Argon2idSettings settings)
    {
        var parameters = new Argon2Parameters
        {
            DegreeOfParallelism = settings.Parallelism,
            MemorySize = settings.MemoryKiB,
            NumberOfPasses = settings.Iterations,
        };
        var output = GC.AllocateArray<byte>(KeySize, pinned: true);
        try
        {
            PasswordBasedKeyDerivationAlgorithm.Argon2id(parameters).DeriveBytes(passphrase.Span, salt, output);
            return SecretBytes.CopyFrom(output);
        }
        catch (Exception e) when (e is CryptographicException or OutOfMemoryException)
        {
            // libsodium fails only when it cannot allocate the memory the costs ask for.
            throw new ProtectorUnavailableException(PassphraseProtector.KindName, $"Argon2id could not run with {settings} ({e.GetType().Name})");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(output);
        }
    }
}
