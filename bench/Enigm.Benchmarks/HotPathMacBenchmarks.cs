using System.Runtime.InteropServices;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;

namespace Enigm.Benchmarks;

/// <summary>
/// Issue 12: the HMAC-SHA-256 and HKDF-SHA-256 shapes of the ratchet's hot path, per provider, next to
/// libsodium's functions called with no wrapper (the baselines). "Hmac" is one KDF_CK half (32-byte chain
/// key, 1-byte constant); "HmacPair" is a whole KDF_CK step (two tags under one key, <c>IMac.ComputePair</c>); "Hkdf44" is the §6 hybrid message key (32-byte IKM and salt, 35-byte info, 44 bytes
/// out). Used to rank the providers in ProviderCatalog.Symmetric.cs (docs/benchmarks.md,
/// "HMAC and HKDF on the ratchet's hot path").
/// </summary>
[Config(typeof(ShortConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public partial class HotPathMacBenchmarks
{
    private static readonly byte[] Constant = [0x01];
    private static readonly byte[] ChainConstant = [0x02];
    private static readonly byte[] Info = "Enigm triple ratchet v1 message key"u8.ToArray();
    private readonly byte[] _key = BenchmarkData.Bytes(32);
    private readonly byte[] _salt = BenchmarkData.Bytes(32);
    private readonly byte[] _tag = new byte[32];
    private readonly byte[] _tag2 = new byte[32];
    private readonly byte[] _okm = new byte[44];
    private IMac _sodiumMac = null!;
    private IMac _bclMac = null!;
    private IMac _bouncyMac = null!;
    private IKdf _sodiumKdf = null!;
    private IKdf _bclKdf = null!;

    [GlobalSetup]
    public void Setup()
    {
        _sodiumMac = CryptoProviders.Default.Create<IMac>(MacAlgorithm.HmacSha256, ProviderNames.Libsodium);
        _bclMac = CryptoProviders.Default.Create<IMac>(MacAlgorithm.HmacSha256, ProviderNames.Bcl);
        _bouncyMac = CryptoProviders.Default.Create<IMac>(MacAlgorithm.HmacSha256, ProviderNames.BouncyCastle);
        _sodiumKdf = CryptoProviders.Default.Create<IKdf>(KdfAlgorithm.HkdfSha256, ProviderNames.Libsodium);
        _bclKdf = CryptoProviders.Default.Create<IKdf>(KdfAlgorithm.HkdfSha256, ProviderNames.Bcl);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Hmac")]
    public byte RawSodiumHmac()
    {
        crypto_auth_hmacsha256(_tag, Constant, 1, _key);
        return _tag[0];
    }

    [Benchmark, BenchmarkCategory("Hmac")]
    public byte EnigmLibsodiumHmac()
    {
        _sodiumMac.Compute(_key, Constant, _tag);
        return _tag[0];
    }

    [Benchmark, BenchmarkCategory("Hmac")]
    public byte EnigmBclHmac()
    {
        _bclMac.Compute(_key, Constant, _tag);
        return _tag[0];
    }

    [Benchmark, BenchmarkCategory("Hmac")]
    public byte EnigmBouncyCastleHmac()
    {
        _bouncyMac.Compute(_key, Constant, _tag);
        return _tag[0];
    }

    /// <summary>KDF_CK whole (message key and next chain key under one chain key), as two plain libsodium calls.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("HmacPair")]
    public byte RawSodiumTwoHmacs()
    {
        crypto_auth_hmacsha256(_tag, Constant, 1, _key);
        crypto_auth_hmacsha256(_tag2, ChainConstant, 1, _key);
        return _tag[0];
    }

    [Benchmark, BenchmarkCategory("HmacPair")]
    public byte EnigmLibsodiumPair()
    {
        _sodiumMac.ComputePair(_key, Constant, _tag, ChainConstant, _tag2);
        return _tag[0];
    }

    [Benchmark, BenchmarkCategory("HmacPair")]
    public byte EnigmBclPair()
    {
        _bclMac.ComputePair(_key, Constant, _tag, ChainConstant, _tag2);
        return _tag[0];
    }

    /// <summary>The BCL's way to share a key's state between two tags: one IncrementalHash per chain key.</summary>
    [Benchmark, BenchmarkCategory("HmacPair")]
    public byte BclIncrementalHashPair()
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(Constant);
        hmac.GetHashAndReset(_tag);
        hmac.AppendData(ChainConstant);
        hmac.GetHashAndReset(_tag2);
        return _tag[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Hkdf44")]
    public byte RawSodiumHkdf()
    {
        Span<byte> prk = stackalloc byte[32];
        crypto_kdf_hkdf_sha256_extract(prk, _salt, 32, _key, 32);
        crypto_kdf_hkdf_sha256_expand(_okm, 44, Info, (nuint)Info.Length, prk);
        return _okm[0];
    }

    [Benchmark, BenchmarkCategory("Hkdf44")]
    public byte EnigmLibsodiumHkdf()
    {
        _sodiumKdf.DeriveKey(_key, _salt, Info, _okm);
        return _okm[0];
    }

    [Benchmark, BenchmarkCategory("Hkdf44")]
    public byte EnigmBclHkdf()
    {
        _bclKdf.DeriveKey(_key, _salt, Info, _okm);
        return _okm[0];
    }

    [LibraryImport("libsodium")]
    private static partial int crypto_auth_hmacsha256(Span<byte> output, ReadOnlySpan<byte> input, ulong length, ReadOnlySpan<byte> key);

    [LibraryImport("libsodium")]
    private static partial int crypto_kdf_hkdf_sha256_extract(Span<byte> prk, ReadOnlySpan<byte> salt, nuint saltLength, ReadOnlySpan<byte> ikm, nuint ikmLength);

    [LibraryImport("libsodium")]
    private static partial int crypto_kdf_hkdf_sha256_expand(Span<byte> output, nuint outputLength, ReadOnlySpan<byte> context, nuint contextLength, ReadOnlySpan<byte> prk);
}
