using System.Text;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Secrets;
using Enigm.Keys;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;
using Enigm.Server.Hosting;
using Enigm.Server.Storage;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Transparency;

namespace Enigm.Server.Transparency;

/// <summary>
/// The relay's key-transparency log (DESIGN.md "Key transparency"; RFC 9162): Enigm.Trust's <see cref="TransparencyLog"/>
/// over the store's persistent tree, one leaf per device-log head the directory accepts. Tree heads are signed with the
/// server's log key, kept in an Enigm.Keys key ring in the data folder; the newest signed head is cached until the tree
/// grows. Appends are serialised so the tree and the store's leaf rows stay in the same order.
/// </summary>
public sealed class TransparencyService : IDisposable
{
    /// <summary>Appends tried before a cross-node conflict is reported (each retry re-reads the tree).</summary>
    internal const int MaxAppendAttempts = 50;

    private readonly IRelayStore _store;
    private readonly TransparencyLog _log;
    private readonly KeyRing _ring;
    private readonly KeyRingSigner _signer;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _append = new(1, 1);
    private readonly Lock _headLock = new();
    private SignedTreeHead? _head;

    private TransparencyService(IRelayStore store, TransparencyLog log, KeyRing ring, KeyRingSigner signer, TimeProvider time)
    {
        _store = store;
        _log = log;
        _ring = ring;
        _signer = signer;
        _time = time;
    }

    /// <summary>The log's raw public key (clients pin it on first use).</summary>
    public byte[] LogPublicKey => _signer.PublicKey;

    public string LogId => _log.LogId;

    public long Size => _log.Size;

    /// <summary>
    /// Opens (or on first start creates) the log key ring in the data folder and the log over the store's tree. A new
    /// ring is protected as <see cref="RelayServerOptions.LogKeyProtection"/> says; an existing one is unlocked by the
    /// protector its own descriptor names, and a passphrase-protected ring is refused when a TPM is asked for (the
    /// operator upgrades it with <c>enigm keys passwd --protector tpm</c> rather than the relay silently using less).
    /// </summary>
    public static TransparencyService Open(RelayServerOptions options)
    {
        var folder = Path.Combine(options.DataDirectory, DataDirectory.LogKeyStoreFolder);
        // Read (or created) only when a passphrase is what protects the ring: a TPM-protected relay keeps no passphrase file.
        var passphrase = new Lazy<string>(() => options.LogKeyPassphrase ?? DataDirectory.ReadOrCreateSecret(Path.Combine(options.DataDirectory, DataDirectory.LogKeyPassphraseFile)));
        SecretBytes Passphrase() => SecretBytes.TakeOwnership(Encoding.UTF8.GetBytes(passphrase.Value));
        KeyRing ring;
        var path = Path.Combine(folder, Enigm.Keys.Storage.KeyStoreFile.FileName);
        if (File.Exists(path))
        {
            ring = KeyRing.Open(path, d =>
            {
                if (options.LogKeyProtection == RelayLogKeyProtection.Tpm && d.Kind != TpmProtector.KindName)
                    throw new RelayConfigurationException($"The log key store in {folder} is protected by '{d.Kind}', not the TPM asked for: rewrap it first (enigm keys passwd --home {folder} --protector tpm).");
                return ProtectorRegistry.ForDescriptor(d, Passphrase, options.LogKeyTpmTcti);
            });
        }
        else
        {
            Enigm.Keys.Storage.KeyStoreHome.EnsureCreated(folder);
            IKeyProtector protector = options.LogKeyProtection == RelayLogKeyProtection.Tpm
                ? new TpmProtector(options.LogKeyTpmTcti)
                : new PassphraseProtector(Passphrase, options.LogKeyArgon2);
            ring = KeyRing.Create(path, protector);
        }

        try
        {
            var key = ring.List().Where(k => k.Purpose == KeyPurpose.DeviceSigning && k.State == KeyState.Active).MaxBy(k => k.CreatedAt)
                ?? ring.Generate(KeyPurpose.DeviceSigning, reason: "relay transparency log key");
            var log = new TransparencyLog(options.Store.TransparencyTree, "enigm-kt/" + options.ServerId);
            var algorithm = log.Suite.DeviceSignature;
            if (key.Algorithm != algorithm.Name)
                throw new RelayConfigurationException($"The log key is {key.Algorithm}, not the {algorithm.Name} key tree heads need.");
            var signer = new KeyRingSigner(ring, key.Id, algorithm, key.PublicKey);
            return new TransparencyService(options.Store, log, ring, signer, options.Time);
        }
        catch
        {
            ring.Dispose();
            throw;
        }
    }

    /// <summary>Appends an account's new device-log head and returns its leaf index.</summary>
    public async Task<long> AppendAsync(AccountFingerprint account, DeviceLogHead head, CancellationToken ct)
    {
        var leaf = new TransparencyLeaf(account, head.Hash, (ulong)head.Sequence);
        await _append.WaitAsync(CancellationToken.None);
        try
        {
            // Not cancellable between the tree append and the leaf row: both happen or the request fails before either.
            // Appends are serialised here within a node only; across nodes the store's tree is compare-and-swap, so a
            // node that lost the race re-reads the tree size (TransparencyLog.Append does) and appends again.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var index = _log.Append(leaf);
                    await _store.AppendLeafAsync(index, account.Hex, leaf.Encode(), CancellationToken.None);
                    return index;
                }
                catch (TransparencyAppendConflictException) when (attempt < MaxAppendAttempts)
                {
                    await Task.Delay(Random.Shared.Next(1, 5 * attempt), CancellationToken.None);
                }
            }
        }
        finally
        {
            _append.Release();
        }
    }

    /// <summary>A signed head for the current tree (re-signed only when the tree has grown).</summary>
    public SignedTreeHead CurrentHead()
    {
        var size = _log.Size;
        lock (_headLock)
        {
            if (_head is { } cached && cached.TreeSize == size) return cached;
        }

        var root = _log.Root(size);
        var head = SignedTreeHead.Sign(_signer, _signer.Handle, _log.LogId, size, root, _time.GetUtcNow(), _log.Suite.Id);
        lock (_headLock)
        {
            if (_head is null || _head.TreeSize < head.TreeSize) _head = head;
            return head;
        }
    }

    public InclusionProof Inclusion(long leafIndex, long treeSize) => _log.InclusionProof(leafIndex, treeSize);

    public ConsistencyProof Consistency(long from, long to) => _log.ConsistencyProof(from, to);

    public void Dispose()
    {
        _signer.Dispose();
        _ring.Dispose();
        _append.Dispose();
    }
}
