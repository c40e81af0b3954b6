using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Ota.Metadata;
using Enigm.Ota.Repository;

namespace Enigm.Ota.Tests.Repository;

/// <summary>A temporary repository folder and Ed25519 signers standing in for separate key holders.</summary>
internal sealed class RepositoryFixture : IDisposable
{
    private readonly List<PrivateKey> _keys = [];

    public RepositoryFixture()
    {
        Folder = Directory.CreateTempSubdirectory("enigm-repo-").FullName;
    }

    public string Folder { get; }

    public ITufSigner NewSigner(SignatureAlgorithm? algorithm = null)
    {
        var key = CryptoProviders.Default.Signature(algorithm ?? SignatureAlgorithm.Ed25519).GenerateKey();
        _keys.Add(key);
        return new PrivateKeyTufSigner(key);
    }

    public static RoleKeySpec Spec(int threshold, params ITufSigner[] signers) => new([.. signers.Select(s => s.Key)], threshold);

    /// <summary>Root 2-of-2 (alice, bob), targets 2-of-2 (alice, bob), online snapshot and timestamp keys.</summary>
    public (TufRepository Repository, ITufSigner Alice, ITufSigner Bob, ITufSigner Online) TwoHolderRepository()
    {
        var alice = NewSigner();
        var bob = NewSigner();
        var online = NewSigner();
        var repository = TufRepository.Init(Folder, new Dictionary<string, RoleKeySpec>
        {
            ["root"] = Spec(2, alice, bob),
            ["targets"] = Spec(2, alice, bob),
            ["snapshot"] = Spec(1, online),
            ["timestamp"] = Spec(1, online),
        });
        return (repository, alice, bob, online);
    }

    public string Artifact(string name, string content)
    {
        var file = Path.Combine(Folder, "..", $"{Path.GetFileName(Folder)}-{name}");
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose()
    {
        foreach (var key in _keys) key.Dispose();
        Directory.Delete(Folder, recursive: true);
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(Folder)!, Path.GetFileName(Folder) + "-*")) File.Delete(file);
    }
}
