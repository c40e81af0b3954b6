using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Providers.Sodium;
using Enigm.Crypto.Secrets;
using NSec.Cryptography;
using EnigmKeyAgreement = Enigm.Crypto.Algorithms.KeyAgreementAlgorithm;
using NSecKeyAgreement = NSec.Cryptography.KeyAgreementAlgorithm;

namespace Enigm.Benchmarks;

/// <summary>
/// Issue 12: Enigm's X25519 (the selected provider, through <see cref="IKeyAgreement"/>) next to libsodium's
/// own functions called with no wrapper (the baselines: crypto_scalarmult_curve25519_base and
/// crypto_scalarmult_curve25519 on stack buffers) and next to the NSec path Enigm used before, in one run,
/// so the Ratio column is Enigm's overhead. "Raw keygen" adds the 32 random bytes any key generation needs.
/// </summary>
[Config(typeof(ShortConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class X25519OverheadBenchmarks
{
    private readonly byte[] _scalar = new byte[32];
    private IKeyAgreement _enigm = null!;
    private PrivateKey _key = null!;
    private Key _nsecKey = null!;
    private byte[] _peer = null!;

    [GlobalSetup]
    public void Setup()
    {
        SodiumLibrary.EnsureAvailable();
        _enigm = CryptoProviders.Default.KeyAgreement(EnigmKeyAgreement.X25519);
        RandomNumberGenerator.Fill(_scalar);
        _key = _enigm.ImportPrivateKey(_scalar);
        using var peer = _enigm.GenerateKey();
        _peer = peer.PublicKey;
        _nsecKey = Key.Import(NSecKeyAgreement.X25519, _scalar, KeyBlobFormat.RawPrivateKey);

        Span<byte> raw = stackalloc byte[32];
        if (SodiumLibrary.crypto_scalarmult_curve25519(raw, _scalar, _peer) != 0) throw new InvalidOperationException("raw agree failed");
        using var enigm = _enigm.Agree(_key, _peer);
        if (!enigm.Span.SequenceEqual(raw)) throw new InvalidOperationException("Enigm and raw libsodium disagree.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _key.Dispose();
        _nsecKey.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("KeyGen")]
    public byte RawScalarMultBase()
    {
        Span<byte> publicKey = stackalloc byte[32];
        SodiumLibrary.crypto_scalarmult_curve25519_base(publicKey, _scalar);
        return publicKey[0];
    }

    [Benchmark, BenchmarkCategory("KeyGen")]
    public byte RawKeyGen()
    {
        Span<byte> scalar = stackalloc byte[32];
        Span<byte> publicKey = stackalloc byte[32];
        RandomNumberGenerator.Fill(scalar);
        SodiumLibrary.crypto_scalarmult_curve25519_base(publicKey, scalar);
        CryptographicOperations.ZeroMemory(scalar);
        return publicKey[0];
    }

    [Benchmark, BenchmarkCategory("KeyGen")]
    public int EnigmKeyGen()
    {
        using var key = _enigm.GenerateKey();
        return key.PublicKey.Length;
    }

    /// <summary>What NSecX25519 did before: an NSec Key (sodium_malloc'd) and an exported public key.</summary>
    [Benchmark, BenchmarkCategory("KeyGen")]
    public int NSecKeyGen()
    {
        using var key = Key.Create(NSecKeyAgreement.X25519);
        return key.PublicKey.Export(KeyBlobFormat.RawPublicKey).Length;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Agree")]
    public byte RawScalarMult()
    {
        Span<byte> shared = stackalloc byte[32];
        SodiumLibrary.crypto_scalarmult_curve25519(shared, _scalar, _peer);
        return shared[0];
    }

    [Benchmark, BenchmarkCategory("Agree")]
    public int EnigmAgree()
    {
        using var secret = _enigm.Agree(_key, _peer);
        return secret.Length;
    }

    /// <summary>What NSecX25519 did before: import the peer key, agree into an exportable SharedSecret, export.</summary>
    [Benchmark, BenchmarkCategory("Agree")]
    public int NSecAgree()
    {
        var peer = NSec.Cryptography.PublicKey.Import(NSecKeyAgreement.X25519, _peer, KeyBlobFormat.RawPublicKey);
        var exportable = new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        using var shared = NSecKeyAgreement.X25519.Agree(_nsecKey, peer, in exportable)!;
        using var secret = new SecretBytes(32);
        shared.TryExport(SharedSecretBlobFormat.RawSharedSecret, secret.WritableSpan, out var written);
        return written;
    }
}
