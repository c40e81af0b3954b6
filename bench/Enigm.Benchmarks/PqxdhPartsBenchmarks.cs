using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;

namespace Enigm.Benchmarks;

/// <summary>
/// The primitives of one PQXDH setup (both sides), each alone with the selected provider, to say where
/// <see cref="SessionSetupBenchmarks.PqxdhBothSides"/> goes (docs/benchmarks.md, "PQXDH setup"): one composite
/// ML-DSA-65 + Ed25519 verification of the bundle and its two halves, ML-KEM-1024 encapsulation and
/// decapsulation, the ML-KEM-1024 public-key check run on each KEM prekey, and X25519 (8 agreements, 1 key).
/// </summary>
[Config(typeof(ShortConfig))]
public class PqxdhPartsBenchmarks
{
    private readonly byte[] _message = BenchmarkData.Bytes(3000);
    private IKem _kem = null!;
    private PrivateKey _kemKey = null!;
    private PrivateKey _expandedKemKey = null!;
    private byte[] _ciphertext = null!;
    private IKeyAgreement _x25519 = null!;
    private PrivateKey _x25519Key = null!;
    private readonly Dictionary<SignatureAlgorithm, (ISignatureScheme Scheme, byte[] PublicKey, byte[] Signature)> _signatures = [];

    [GlobalSetup]
    public void Setup()
    {
        _kem = CryptoProviders.Default.Kem(KemAlgorithm.MlKem1024);
        _kemKey = _kem.GenerateKeyPair();
        using (var encapsulation = _kem.Encapsulate(_kemKey.PublicKey)) _ciphertext = encapsulation.Ciphertext.ToArray();
        var export = (IKemExpandedKeyExport)_kem;
        using (var expanded = export.ExportExpandedPrivateKey(_kemKey)) _expandedKemKey = _kem.ImportExpandedPrivateKey(expanded.Span);
        _x25519 = CryptoProviders.Default.KeyAgreement(KeyAgreementAlgorithm.X25519);
        _x25519Key = _x25519.GenerateKey();
        foreach (var algorithm in new[] { SignatureAlgorithm.MlDsa65Ed25519, SignatureAlgorithm.MlDsa65, SignatureAlgorithm.Ed25519 })
        {
            var scheme = CryptoProviders.Default.Signature(algorithm);
            using var key = scheme.GenerateKey();
            _signatures[algorithm] = (scheme, key.PublicKey.ToArray(), scheme.Sign(key, _message));
        }
    }

    [Benchmark]
    public bool CompositeVerify() => Verify(SignatureAlgorithm.MlDsa65Ed25519);

    [Benchmark]
    public bool MlDsa65Verify() => Verify(SignatureAlgorithm.MlDsa65);

    [Benchmark]
    public bool Ed25519Verify() => Verify(SignatureAlgorithm.Ed25519);

    [Benchmark]
    public int MlKem1024Encapsulate()
    {
        using var encapsulation = _kem.Encapsulate(_kemKey.PublicKey);
        return encapsulation.Ciphertext.Length;
    }

    [Benchmark]
    public int MlKem1024Decapsulate()
    {
        using var secret = _kem.Decapsulate(_kemKey, _ciphertext);
        return secret.Length;
    }

    /// <summary>
    /// The same decapsulation from the FIPS 203 expanded key (dk) instead of the 64-byte seed the prekeys are
    /// stored as: the difference is the key generation that a seed-format key repeats on every decapsulation.
    /// </summary>
    [Benchmark]
    public int MlKem1024DecapsulateExpandedKey()
    {
        using var secret = _kem.Decapsulate(_expandedKemKey, _ciphertext);
        return secret.Length;
    }

    [Benchmark]
    public int MlKem1024ValidatePublicKey()
    {
        _kem.ValidatePublicKey(_kemKey.PublicKey);
        return 0;
    }

    [Benchmark]
    public int X25519Agree()
    {
        using var secret = _x25519.Agree(_x25519Key, _x25519Key.PublicKey);
        return secret.Length;
    }

    private bool Verify(SignatureAlgorithm algorithm)
    {
        var (scheme, publicKey, signature) = _signatures[algorithm];
        return scheme.Verify(publicKey, _message, signature);
    }
}
