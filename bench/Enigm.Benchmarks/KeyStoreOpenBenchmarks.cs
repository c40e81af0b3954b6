using BenchmarkDotNet.Attributes;
using Enigm.Crypto.Secrets;
using Enigm.Keys;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;

namespace Enigm.Benchmarks;

/// <summary>
/// Opening a key store that holds 10,000 keys and listing them (every row's MAC checked), excluding
/// Argon2id: the store uses libsodium's minimum costs (8 KiB, one pass), so what is measured is SQLite, row
/// parsing and authentication. Target (issue 4): under 200 ms.
/// </summary>
[MemoryDiagnoser]
public class KeyStoreOpenBenchmarks
{
    private string _folder = null!;
    private string _path = null!;
    private PassphraseProtector _protector = null!;

    [Params(10_000)]
    public int Keys { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("enigm-bench-store-").FullName;
        _path = Path.Combine(_folder, "keys.db");
        _protector = new PassphraseProtector(() => SecretBytes.CopyFrom("benchmark passphrase: correct horse battery staple"u8), new Argon2idSettings(Argon2idSettings.MinMemoryKiB, 1, 1));
        using var ring = KeyRing.Create(_path, _protector);
        ring.GenerateBatch(KeyPurpose.OneTimePrekey, Keys - 1);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark]
    public int OpenAndList()
    {
        using var ring = KeyRing.Open(_path, _ => _protector);
        return ring.List().Count;
    }
}
