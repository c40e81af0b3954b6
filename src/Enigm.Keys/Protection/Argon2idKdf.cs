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

    /// <summary>
    /// <see cref="Derive(SecretBytes, ReadOnlySpan{byte}, Argon2idSettings)"/> on a worker thread, so that
    /// <paramref name="cancellation"/> ends the wait at once (libsodium's Argon2id cannot be interrupted;
    /// an abandoned worker finishes in the background, zeroes its copy of the passphrase and disposes its
    /// result). Throws <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public static SecretBytes Derive(SecretBytes passphrase, ReadOnlySpan<byte> salt, Argon2idSettings settings, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        if (!cancellation.CanBeCanceled) return Derive(passphrase, salt, settings);

        var ownPassphrase = SecretBytes.CopyFrom(passphrase.Span);
        var ownSalt = salt.ToArray();
        var work = Task.Factory.StartNew(
            () =>
            {
                using (ownPassphrase) return Derive(ownPassphrase, ownSalt, settings);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            work.Wait(cancellation);
            return work.Result;
        }
        catch (OperationCanceledException)
        {
            _ = work.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }
        catch (AggregateException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

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
