using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Errors;

namespace Enigm.Keys.Protection;

/// <summary>
/// The KEK is Argon2id(passphrase, salt) (RFC 9106, libsodium through NSec). The descriptor keeps the
/// costs and the 16-byte salt, so a store's costs can be raised later by re-creating the protector and
/// rewrapping, plus a check value — AES-256-GCM of a fixed label under the KEK — that tells a wrong
/// passphrase apart from a damaged key row before any key is touched.
/// </summary>
public sealed class PassphraseProtector : IKeyProtector
{
    public const string KindName = "passphrase";

    private readonly Func<SecretBytes> _passphrase;
    private readonly CancellationToken _cancellation;

    /// <param name="passphrase">
    /// Returns the passphrase as UTF-8 bytes; called once per <see cref="Create"/> or <see cref="Unlock"/>,
    /// and the returned buffer is disposed (zeroed) by the protector.
    /// </param>
    /// <param name="settings">Costs for <see cref="Create"/>; <see cref="Unlock"/> uses the descriptor's. Default <see cref="Argon2idSettings.Moderate"/>.</param>
    /// <param name="cancellation">
    /// Stops waiting for Argon2id (which cannot be interrupted inside libsodium) with
    /// <see cref="OperationCanceledException"/>, so Ctrl-C is prompt; nothing has been written then.
    /// </param>
    public PassphraseProtector(Func<SecretBytes> passphrase, Argon2idSettings? settings = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        settings ??= Argon2idSettings.Default;
        if (!settings.IsValid(out var reason))
            throw new ArgumentOutOfRangeException(nameof(settings), $"{settings}: {reason}.");
        _passphrase = passphrase;
        _cancellation = cancellation;
        Settings = settings;
    }

    public string Kind => KindName;

    /// <summary>The costs a new descriptor gets.</summary>
    public Argon2idSettings Settings { get; }

    public (ProtectorDescriptor Descriptor, SecretBytes Kek) Create()
    {
        var salt = RandomNumberGenerator.GetBytes(PassphraseDescriptor.SaltSize);
        using var passphrase = _passphrase();
        PassphraseStrength.Require(passphrase, Settings);

        var kek = Argon2idKdf.Derive(passphrase, salt, Settings, _cancellation);
        try
        {
            var unsigned = new PassphraseDescriptor(Settings, salt, []);
            var check = new byte[AeadAlgorithm.Aes256Gcm.NonceSize + PassphraseDescriptor.CheckLabel.Length + AeadAlgorithm.Aes256Gcm.TagSize];
            RandomNumberGenerator.Fill(check.AsSpan(0, AeadAlgorithm.Aes256Gcm.NonceSize));
            Aead.Encrypt(
                kek.Span,
                check.AsSpan(0, AeadAlgorithm.Aes256Gcm.NonceSize),
                PassphraseDescriptor.CheckLabel,
                unsigned.CheckAssociatedData(),
                check.AsSpan(AeadAlgorithm.Aes256Gcm.NonceSize));
            var descriptor = new ProtectorDescriptor(KindName, (unsigned with { Check = check }).Encode());
            return (descriptor, kek);
        }
        catch
        {
            kek.Dispose();
            throw;
        }
    }

    public SecretBytes Unlock(ProtectorDescriptor descriptor)
    {
        var stored = Decode(descriptor);
        using var passphrase = _passphrase();
        var kek = Argon2idKdf.Derive(passphrase, stored.Salt, stored.Settings, _cancellation);
        if (CheckMatches(kek, stored)) return kek;
        kek.Dispose();
        throw new WrongPassphraseException();
    }

    /// <summary>The costs recorded in a passphrase descriptor.</summary>
    public static Argon2idSettings SettingsOf(ProtectorDescriptor descriptor) => Decode(descriptor).Settings;

    /// <summary>
    /// True when the descriptor's costs are below <paramref name="target"/> in memory or passes: the store
    /// should then be rewrapped under a protector created with <paramref name="target"/>.
    /// </summary>
    public static bool NeedsUpgrade(ProtectorDescriptor descriptor, Argon2idSettings target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return !Decode(descriptor).Settings.IsAtLeast(target);
    }

    private static IAead Aead => CryptoProviders.Default.Aead(AeadAlgorithm.Aes256Gcm);

    private static PassphraseDescriptor Decode(ProtectorDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Kind != KindName)
            throw new MalformedInputException($"Not a {KindName} descriptor.");
        return PassphraseDescriptor.Decode(descriptor.Parameters ?? []);
    }

    private static bool CheckMatches(SecretBytes kek, PassphraseDescriptor stored)
    {
        var nonceSize = AeadAlgorithm.Aes256Gcm.NonceSize;
        var label = GC.AllocateArray<byte>(stored.Check.Length - nonceSize - AeadAlgorithm.Aes256Gcm.TagSize, pinned: true);
        try
        {
            Aead.Decrypt(kek.Span, stored.Check.AsSpan(0, nonceSize), stored.Check.AsSpan(nonceSize), stored.CheckAssociatedData(), label);
            return CryptographicOperations.FixedTimeEquals(label, PassphraseDescriptor.CheckLabel);
        }
        catch (DecryptionFailedException)
        {
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(label);
        }
    }
}
