using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;

namespace Enigm.Trust.Recovery;

/// <summary>
/// An offline recovery key (docs/trust-device-log.md, "Recovery key"): a 32-byte random secret that the
/// user prints and keeps, from which an id-MLDSA65-Ed25519-SHA512 signing key is derived
/// (HKDF-SHA-512, RFC 5869, info "enigm/recovery-key/v1/signing-seed", to the composite's 64-byte
/// seed). Its public key is registered in the device log by an add-recovery-key entry; it can then
/// authorise adding a device when every device is lost. Printed by <see cref="RecoveryKeyText"/>.
/// Disposable: the secret and the signing key are zeroed on dispose.
/// </summary>
public sealed class RecoveryKey : IDisposable
{
    /// <summary>Bytes of secret the printed key carries.</summary>
    public const int SecretLength = 32;

    private static readonly byte[] SeedInfo = "enigm/recovery-key/v1/signing-seed"u8.ToArray();

    private readonly SecretBytes _secret;

    private RecoveryKey(SecretBytes secret, CryptoProviders providers)
    {
        _secret = secret;
        var algorithm = Algorithm;
        var seed = new byte[algorithm.PrivateKeySize];
        try
        {
            providers.Kdf(KdfAlgorithm.HkdfSha512).DeriveKey(secret.Span, [], SeedInfo, seed);
            SigningKey = providers.Signature(algorithm).ImportPrivateKey(seed, PrivateKeyFormat.Seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }

        PublicKey = new CryptoObject(ObjectType.PublicKey, SuiteRegistry.Suite1, algorithm, SigningKey.PublicKey).Encode();
        Id = "rk-" + Convert.ToHexStringLower(SHA256.HashData(SigningKey.PublicKey).AsSpan(0, 8));
    }

    /// <summary>The signature algorithm of recovery keys: suite 1's device signature.</summary>
    public static SignatureAlgorithm Algorithm => SuiteRegistry.Suite1.DeviceSignature;

    /// <summary>The id the device log knows this key by: "rk-" and 16 hex digits of SHA-256 of the public key.</summary>
    public string Id { get; }

    /// <summary>The public key as an encoded <c>CryptoObject</c>, as registered in the log.</summary>
    public byte[] PublicKey { get; }

    /// <summary>The derived signing key (owned by this object).</summary>
    public PrivateKey SigningKey { get; }

    /// <summary>A new recovery key from the system CSPRNG.</summary>
    public static RecoveryKey Generate(CryptoProviders? providers = null)
    {
        var secret = new SecretBytes(SecretLength);
        RandomNumberGenerator.Fill(secret.WritableSpan);
        return new RecoveryKey(secret, providers ?? CryptoProviders.Default);
    }

    /// <summary>
    /// Reads a printed recovery key (<see cref="RecoveryKeyText.Parse"/>): case, spaces and dashes do
    /// not matter; a wrong character or checksum is a <see cref="MalformedInputException"/>.
    /// </summary>
    public static RecoveryKey Parse(string printed, CryptoProviders? providers = null) =>
        new(RecoveryKeyText.Parse(printed), providers ?? CryptoProviders.Default);

    /// <summary>The printable form (groups of 4 with a check group). It IS the secret: show it once, to be written down.</summary>
    public string ToPrintableText() => RecoveryKeyText.Format(_secret.Span);

    public void Dispose()
    {
        SigningKey.Dispose();
        _secret.Dispose();
    }

    public override string ToString() => $"RecoveryKey({Id}, redacted)";
}
