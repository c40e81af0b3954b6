using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Protection;

namespace Enigm.Benchmarks;

/// <summary>
/// Unlocking a passphrase-protected store (one Argon2id derivation plus the check value) for each preset.
/// The Sensitive preset allocates 2 GiB.
/// </summary>
[MemoryDiagnoser]
public class KeysUnlockBenchmarks
{
    private ProtectorDescriptor _descriptor = null!;
    private PassphraseProtector _protector = null!;

    [Params("Interactive", "Moderate", "Sensitive")]
    public string Preset { get; set; } = "Moderate";

    [GlobalSetup]
    public void Setup()
    {
        var settings = Preset switch
        {
            "Interactive" => Argon2idSettings.Interactive,
            "Sensitive" => Argon2idSettings.Sensitive,
            _ => Argon2idSettings.Moderate,
        };
        _protector = new PassphraseProtector(() => SecretBytes.CopyFrom("benchmark passphrase"u8), settings);
        var (descriptor, kek) = _protector.Create();
        kek.Dispose();
        _descriptor = descriptor;
    }

    [Benchmark]
    public int Unlock()
    {
        using var kek = _protector.Unlock(_descriptor);
        return kek.Length;
    }
}

/// <summary>
/// Wrapping and unwrapping one private key under the KEK: a 32-byte seed (Ed25519, X25519), a 64-byte
/// ML-KEM seed, and a 4896-byte ML-DSA-87 expanded key.
/// </summary>
[MemoryDiagnoser]
public class KeysWrapBenchmarks
{
    private static readonly WrapContext Context = new("store", "release.v1", "release-signing", 1, "ML-DSA-87", 3);

    private SecretBytes _kek = null!;
    private byte[] _material = null!;
    private WrappedKey _wrapped = null!;

    [Params(32, 64, 4896)]
    public int KeySize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _kek = SecretBytes.TakeOwnership(RandomNumberGenerator.GetBytes(32));
        _material = RandomNumberGenerator.GetBytes(KeySize);
        _wrapped = KeyWrapping.Wrap(_kek, _material, Context);
    }

    [GlobalCleanup]
    public void Cleanup() => _kek.Dispose();

    [Benchmark]
    public WrappedKey Wrap() => KeyWrapping.Wrap(_kek, _material, Context);

    [Benchmark]
    public int Unwrap()
    {
        using var material = KeyWrapping.Unwrap(_kek, _wrapped, Context);
        return material.Length;
    }
}
