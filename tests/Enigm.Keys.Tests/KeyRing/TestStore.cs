using Enigm.Crypto.Secrets;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;
using Enigm.Keys.Storage;
using Enigm.Keys.Tests.Protection;

namespace Enigm.Keys.Tests.KeyRing;

/// <summary>A key store in a fresh temporary folder, under a passphrase with the test Argon2id costs.</summary>
internal sealed class TestStore : IDisposable
{
    public TestStore(string passphrase = "correct horse battery staple", KeyRingOptions? options = null)
    {
        Folder = Directory.CreateTempSubdirectory("enigm-keys-").FullName;
        Path = System.IO.Path.Combine(Folder, "keys.db");
        Passphrase = passphrase;
        Options = options ?? new KeyRingOptions { Clock = Clock };
        Ring = Enigm.Keys.KeyRing.Create(Path, Protector(passphrase), Options);
    }

    public string Folder { get; }

    public string Path { get; }

    public string Passphrase { get; }

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public KeyRingOptions Options { get; }

    public Enigm.Keys.KeyRing Ring { get; private set; }

    public static PassphraseProtector Protector(string passphrase) =>
        new(() => SecretBytes.CopyFrom(System.Text.Encoding.UTF8.GetBytes(passphrase)), FastArgon2id.Settings);

    public Enigm.Keys.KeyRing Reopen(string? passphrase = null)
    {
        Ring.Dispose();
        Ring = Enigm.Keys.KeyRing.Open(Path, _ => Protector(passphrase ?? Passphrase), Options);
        return Ring;
    }

    /// <summary>Every byte of the store file and its side files (journal, WAL, shared memory).</summary>
    public byte[] AllFileBytes() =>
    [
        .. new[] { "", "-journal", "-wal", "-shm" }
            .Select(suffix => Path + suffix)
            .Where(File.Exists)
            .SelectMany(File.ReadAllBytes),
    ];

    /// <summary>
    /// The private material of every stored key that still has it, recovered the way an attacker holding
    /// the passphrase would: the KEK from the protector, each wrapped row unwrapped. Tests scan the files for it.
    /// </summary>
    public IReadOnlyList<(string Id, byte[] Material)> UnwrappedPrivateMaterial()
    {
        using var store = SqliteKeyStore.Open(Path);
        using var kek = Protector(Passphrase).Unlock(store.Protector);
        return
        [
            .. store.Keys().Where(r => r.Wrapped is not null).Select(row =>
            {
                var k = row.Record;
                using var material = KeyWrapping.Unwrap(kek, row.Wrapped!, new WrapContext(store.StoreId, k.Id, k.Purpose.ToName(), k.Version, k.Algorithm, k.SuiteId));
                return (k.Id, material.Span[1..].ToArray());
            }),
        ];
    }

    public void Dispose()
    {
        Ring.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
