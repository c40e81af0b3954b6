using Enigm.Ota.Client;
using Xunit;

namespace Enigm.Ota.Tests.Client;

public sealed class TrustedMetadataStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("enigm-store-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Saves_replaces_loads_and_deletes_roles()
    {
        var store = new TrustedMetadataStore(Path.Combine(_dir, "s"));
        Assert.False(store.HasRoot);
        Assert.Null(store.Load("timestamp"));
        store.Save("timestamp", [1]);
        store.Save("timestamp", [2, 3]);
        Assert.Equal([2, 3], store.Load("timestamp"));
        store.Delete("timestamp");
        Assert.Null(store.Load("timestamp"));
        Assert.Empty(Directory.GetFiles(store.Directory, "*.tmp"));
    }

    [Fact]
    public void Keeps_delegated_role_names_inside_the_folder()
    {
        var store = new TrustedMetadataStore(_dir);
        store.Save("../../escape/x", [1]);
        Assert.Equal([1], store.Load("../../escape/x"));
        Assert.Single(Directory.GetFiles(_dir));
    }
}
