using Enigm.Cli.Commands.Keys;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Suites;
using Enigm.Keys;
using Enigm.Keys.Errors;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;
using Enigm.Keys.Storage;
using Enigm.Ota.Metadata;
using Enigm.Ota.Repository;

namespace Enigm.Cli.Commands.Release;

/// <summary>
/// The TUF keys one key holder keeps in their <c>--home</c>: every one is a key of the holder's Enigm
/// key store (DESIGN.md: the key store is the only place private keys are persisted), with the purpose
/// of its role (root → root, targets and delegated roles → release-signing, snapshot and timestamp →
/// manifest-signing) and the algorithm chosen with <c>--key-type</c>. The repository finds a holder's
/// keys for a role by keyid, which is derived from each stored key's public key.
/// </summary>
internal sealed class HolderKeys(string? home, Argon2idSettings argon) : IDisposable
{
    private KeyRing? _ring;

    public static KeyPurpose PurposeOf(string role) => role switch
    {
        "root" => KeyPurpose.Root,
        "snapshot" or "timestamp" => KeyPurpose.ManifestSigning,
        _ => KeyPurpose.ReleaseSigning,
    };

    /// <summary>The suite's algorithm for a role (the default of <c>--key-type suite</c>).</summary>
    public static SignatureAlgorithm SuiteAlgorithm(string role) =>
        (SignatureAlgorithm)PurposeAlgorithms.For(PurposeOf(role), SuitePolicy.Default.Preferred);

    /// <summary>Generates a key for <paramref name="role"/> in the key store and returns its public TUF key.</summary>
    public TufKey Generate(string role, SignatureAlgorithm algorithm, string reason)
    {
        var ring = Ring(create: true)!;
        return new KeyRingTufSigner(ring, ring.Generate(PurposeOf(role), algorithm, reason: reason)).Key;
    }

    /// <summary>Every usable signing key of this holder: the active key-store keys of the TUF purposes.</summary>
    public IReadOnlyList<ITufSigner> Signers() =>
        Ring(create: false) is { } ring
            ? [.. TufRecords(ring).Where(r => r.State == KeyState.Active).Select(r => new KeyRingTufSigner(ring, r))]
            : [];

    /// <summary>Marks the key-store key with this TUF keyid compromised after the repository revoked it.</summary>
    public bool RevokeInStore(string keyId, string reason)
    {
        if (Ring(create: false) is not { } ring) return false;
        var record = TufRecords(ring)
            .Where(r => r.State is not (KeyState.Compromised or KeyState.Destroyed))
            .FirstOrDefault(r => new KeyRingTufSigner(ring, r).Key.KeyId == keyId);
        if (record is null) return false;
        ring.Revoke(record.Id, reason);
        return true;
    }

    /// <summary>
    /// The store's TUF keys. A row that fails authentication stops the command rather than being
    /// skipped: release metadata is not signed from a key store someone has edited.
    /// </summary>
    private static IEnumerable<KeyRecord> TufRecords(KeyRing ring)
    {
        var records = ring.List(out var damaged);
        if (damaged.Count > 0) throw new KeyIntegrityException(damaged[0], "the row was modified outside Enigm");
        return records.Where(r => r.Purpose is KeyPurpose.Root or KeyPurpose.ReleaseSigning or KeyPurpose.ManifestSigning);
    }

    private KeyRing? Ring(bool create)
    {
        if (_ring is not null) return _ring;
        if (File.Exists(KeyStoreSession.StorePath(home))) return _ring = KeyStoreSession.Open(home);
        if (!create) return null;
        var folder = KeyStoreSession.ResolveHome(home);
        try
        {
            if (File.Exists(folder)) throw new IOException("it is a file");
            KeyStoreHome.EnsureCreated(folder); // 0700, as `keys init` creates it
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyStoreException($"Cannot create a key store in {folder}: {e.Message}", e);
        }

        return _ring = KeyStoreSession.Create(home, new PassphraseProtector(KeyStoreSession.ReadPassphrase, argon));
    }

    public void Dispose() => _ring?.Dispose();
}
