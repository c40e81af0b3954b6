using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;

namespace Enigm.Crypto.Secrets;

/// <summary>How the private material of a key is laid out.</summary>
public enum PrivateKeyFormat
{
    /// <summary>The standard's seed (FIPS 203 d‖z, FIPS 204 ξ, RFC 8032 seed, X-Wing seed). Preferred for storage.</summary>
    Seed,

    /// <summary>The standard's expanded private key (FIPS 203 dk, FIPS 204 sk, FIPS 205 sk, SEC1 scalar).</summary>
    Expanded,
}

/// <summary>
/// An opaque, disposable private key handle (the NSec <c>Key</c> model). The material is held in a
/// pinned buffer zeroed on dispose; <see cref="ToString"/> shows the algorithm and a public-key
/// fingerprint only. Export is explicit and meant for <c>Enigm.Keys</c>, which wraps it before storage.
/// </summary>
public sealed class PrivateKey : IDisposable
{
    private readonly SecretBytes _material;
    private readonly Dictionary<Type, IDisposable> _providerStates = [];

    public PrivateKey(CryptoAlgorithm algorithm, SecretBytes material, PrivateKeyFormat format, byte[] publicKey)
    {
        Algorithm = algorithm;
        _material = material;
        Format = format;
        PublicKey = publicKey;
    }

    public CryptoAlgorithm Algorithm { get; }

    public PrivateKeyFormat Format { get; }

    /// <summary>The matching public key in the algorithm's standard encoding.</summary>
    public byte[] PublicKey { get; }

    public bool IsDisposed { get; private set; }

    /// <summary>The private material, for providers inside this assembly.</summary>
    internal ReadOnlySpan<byte> Material
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return _material.Span;
        }
    }

    /// <summary>
    /// A provider may cache an expanded or native form of the key here (for example libsodium's
    /// expanded ML-KEM secret key); it is disposed, and so zeroed, together with the key.
    /// </summary>
    internal T GetOrCreateProviderState<T>(Func<PrivateKey, T> create)
        where T : class, IDisposable
    {
        // One state per provider type, created once under a lock and kept until the key is disposed:
        // replacing a state could dispose it while another thread is still signing with it.
        lock (_providerStates)
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            if (_providerStates.TryGetValue(typeof(T), out var existing)) return (T)existing;
            var created = create(this);
            _providerStates[typeof(T)] = created;
            return created;
        }
    }

    /// <summary>Explicit export of the private material, for wrapping by a key protector.</summary>
    public SecretBytes ExportPrivateMaterial() => SecretBytes.CopyFrom(Material);

    /// <summary>Short public fingerprint: first 8 bytes of SHA-256 over the public key, hex.</summary>
    public string PublicFingerprint => Convert.ToHexStringLower(SHA256.HashData(PublicKey).AsSpan(0, 8));

    public void Dispose()
    {
        lock (_providerStates)
        {
            if (IsDisposed) return;
            foreach (var state in _providerStates.Values) state.Dispose();
            _providerStates.Clear();
            _material.Dispose();
            IsDisposed = true;
        }
    }

    public override string ToString() => $"PrivateKey({Algorithm.Name}, pub {PublicFingerprint}, redacted)";
}

/// <summary>Disposable wrapper for provider state that is only a secret byte buffer.</summary>
internal sealed class SecretState(SecretBytes secret) : IDisposable
{
    public SecretBytes Secret { get; } = secret;

    public void Dispose() => Secret.Dispose();
}
