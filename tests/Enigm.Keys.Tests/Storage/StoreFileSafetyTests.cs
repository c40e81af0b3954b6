using Enigm.Keys.Errors;
using Enigm.Keys.Storage;
using Enigm.Keys.Tests.KeyRing;
using Xunit;

namespace Enigm.Keys.Tests.Storage;

/// <summary>Files that are not an intact store, homes that are not folders, and the modes Enigm creates.</summary>
public sealed class StoreFileSafetyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("enigm-storefile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string GoodStoreBytesPath()
    {
        using var store = new TestStore();
        store.Ring.Generate(Model.KeyPurpose.DeviceSigning);
        store.Ring.Dispose();
        var copy = Path.Combine(_folder, "good.db");
        File.Copy(store.Path, copy);
        return copy;
    }

    public static TheoryData<string> DamagedKinds() => ["text", "truncated", "zero-filled", "empty", "header-only"];

    [Theory]
    [MemberData(nameof(DamagedKinds))]
    public void A_file_that_is_not_an_intact_store_is_a_key_store_error_and_is_left_unchanged(string kind)
    {
        var good = File.ReadAllBytes(GoodStoreBytesPath());
        byte[] content = kind switch
        {
            "text" => "this is not a database at all, just some words"u8.ToArray(),
            "truncated" => good[..(good.Length / 2)],
            "zero-filled" => new byte[good.Length],
            "empty" => [],
            _ => good[..100],
        };
        var path = Path.Combine(_folder, "keys.db");
        File.WriteAllBytes(path, content);

        var e = Assert.Throws<KeyStoreException>(() => Enigm.Keys.KeyRing.Open(path, _ => TestStore.Protector("correct horse battery staple")));

        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(content, File.ReadAllBytes(path));
        Assert.False(File.Exists(path + "-journal"));
    }

    [Fact]
    public void A_home_that_is_a_file_or_under_a_file_is_refused_and_nothing_is_created()
    {
        var file = Path.Combine(_folder, "a-file");
        File.WriteAllText(file, "x");

        Assert.Throws<KeyStoreException>(() => KeyStoreHome.Validate(file));
        Assert.Throws<KeyStoreException>(() => KeyStoreHome.Validate("/dev/null"));
        Assert.Throws<KeyStoreException>(() => Enigm.Keys.KeyRing.Create(Path.Combine(file, "keys.db"), TestStore.Protector("correct horse battery staple")));
        Assert.Throws<KeyStoreException>(() => Enigm.Keys.KeyRing.Create(Path.Combine(file, "deeper", "keys.db"), TestStore.Protector("correct horse battery staple")));
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Fact]
    public void A_new_home_is_0700_and_the_store_and_its_journal_are_0600()
    {
        if (OperatingSystem.IsWindows()) return;
        var home = Path.Combine(_folder, "new-home");
        var path = Path.Combine(home, "keys.db");
        using (var ring = Enigm.Keys.KeyRing.Create(path, TestStore.Protector("correct horse battery staple")))
            ring.Generate(Model.KeyPurpose.DeviceSigning);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(home));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        foreach (var side in new[] { "-journal", "-wal", "-shm" }.Select(s => path + s).Where(File.Exists))
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(side));
    }
}
