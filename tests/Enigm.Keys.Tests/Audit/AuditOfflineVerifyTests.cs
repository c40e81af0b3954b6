using Enigm.Crypto.Errors;
using Enigm.Keys.Audit;
using Enigm.Keys.Model;
using Enigm.Keys.Tests.KeyRing;
using Xunit;

namespace Enigm.Keys.Tests.Audit;

/// <summary>An exported log verified with the storage public key alone, and export files read safely.</summary>
public sealed class AuditOfflineVerifyTests : IDisposable
{
    private readonly TestStore _store = new();

    public void Dispose() => _store.Dispose();

    private (string Path, byte[] PublicKey) Export()
    {
        _store.Ring.Generate(KeyPurpose.DeviceSigning);
        var path = System.IO.Path.Combine(_store.Folder, "audit.json");
        File.WriteAllText(path, AuditExport.ToJson(_store.Ring.AuditEntries(), _store.Ring.AuditCheckpoints()));
        var storage = _store.Ring.List().Single(k => k.Purpose == KeyPurpose.Storage);
        return (path, storage.PublicKey);
    }

    [Fact]
    public void An_export_verifies_with_the_storage_public_key_alone()
    {
        var (path, key) = Export();
        _store.Ring.Dispose();

        var (entries, checkpoints) = AuditExport.ReadFile(path);
        var result = AuditVerifier.VerifyExport(entries, checkpoints, [key], Enigm.Crypto.Providers.CryptoProviders.Default);

        Assert.True(result.Ok, result.Problem);
        Assert.True(result.CheckpointsChecked > 0);
    }

    [Fact]
    public void An_export_fails_with_another_key_or_with_its_checkpoints_stripped()
    {
        var (path, key) = Export();
        var (entries, checkpoints) = AuditExport.ReadFile(path);
        var other = new TestStore();
        var otherKey = other.Ring.List().Single(k => k.Purpose == KeyPurpose.Storage).PublicKey;
        other.Dispose();

        Assert.False(AuditVerifier.VerifyExport(entries, checkpoints, [otherKey], Enigm.Crypto.Providers.CryptoProviders.Default).Ok);
        Assert.False(AuditVerifier.VerifyExport(entries, [], [key], Enigm.Crypto.Providers.CryptoProviders.Default).Ok);
        Assert.False(AuditVerifier.VerifyExport(entries, checkpoints.Take(checkpoints.Count - 1).ToList(), [key], Enigm.Crypto.Providers.CryptoProviders.Default).Ok);
    }

    [Fact]
    public void An_oversized_export_is_refused_before_it_is_read()
    {
        var path = System.IO.Path.Combine(_store.Folder, "huge.json");
        using (var file = new FileStream(path, FileMode.CreateNew))
            file.SetLength(200L * 1024 * 1024); // sparse: 200 MB that were never written
        var before = GC.GetTotalAllocatedBytes(precise: true);

        Assert.Throws<MalformedInputException>(() => AuditExport.ReadFile(path));

        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 16 * 1024 * 1024, "the file was read before its size was checked");
    }

    [Fact]
    public void A_missing_export_or_a_folder_is_malformed_input()
    {
        Assert.Throws<MalformedInputException>(() => AuditExport.ReadFile(System.IO.Path.Combine(_store.Folder, "missing.json")));
        Assert.Throws<MalformedInputException>(() => AuditExport.ReadFile(_store.Folder));
    }

    [Fact]
    public void A_device_that_never_ends_is_cut_at_the_limit()
    {
        if (!File.Exists("/dev/zero")) return;
        Assert.Throws<MalformedInputException>(() => AuditExport.ReadFile("/dev/zero", 1024 * 1024));
    }
}
