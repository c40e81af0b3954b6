using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Keys;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;
using Enigm.Ota.Metadata;
using Enigm.Ota.Repository;

namespace Enigm.Cli.Commands.Release;

/// <summary>
/// The TUF keys one key holder keeps in their <c>--home</c>. A key whose type is what the suite assigns
/// to the role's purpose (root → SLH-DSA, targets → the composite release key, snapshot/timestamp →
/// the composite manifest key) lives in the Enigm key store with that purpose; any other type (Ed25519
/// for classical repositories, pure ML-DSA-87) lives in <see cref="WrappedKeyFiles"/>.
/// </summary>
internal sealed class HolderKeys(string? home, Argon2idSettings argon) : IDisposable
{
    private readonly WrappedKeyFiles _files = new(Path.Combine(KeyStoreSession.ResolveHome(home), "tuf-keys"), argon);
    private readonly List<PrivateKey> _loaded = [];
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

    /// <summary>Generates a key for <paramref name="role"/> and returns its public TUF key.</summary>
    public TufKey Generate(string role, SignatureAlgorithm algorithm, string reason)
    {
        var purpose = PurposeOf(role);
        if (SuiteAlgorithm(role) == algorithm)
        {
            var ring = Ring(create: true)!;
            return new KeyRingTufSigner(ring, ring.Generate(purpose, reason: reason)).Key;
        }

        using var key = CryptoProviders.Default.Signature(algorithm).GenerateKey();
        _files.Store(key, purpose.ToName());
        return TufKey.Create(algorithm, key.PublicKey);
    }

    /// <summary>Every usable signing key of this holder (active key-store keys of the release purposes, and wrapped files).</summary>
    public IReadOnlyList<ITufSigner> Signers()
    {
        var signers = new List<ITufSigner>();
        if (Ring(create: false) is { } ring)
        {
            foreach (var record in ring.List())
            {
                if (record.State != KeyState.Active || record.Purpose is not (KeyPurpose.Root or KeyPurpose.ReleaseSigning or KeyPurpose.ManifestSigning)) continue;
                signers.Add(new KeyRingTufSigner(ring, record));
            }
        }

        foreach (var key in _files.LoadAll())
        {
            _loaded.Add(key);
            signers.Add(new PrivateKeyTufSigner(key));
        }

        return signers;
    }

    /// <summary>Marks a key-store key compromised after the repository revoked it (no-op for other keys).</summary>
    public bool RevokeInStore(string keyId, string reason)
    {
        if (Ring(create: false) is not { } ring) return false;
        foreach (var record in ring.List())
        {
            if (record.State is KeyState.Compromised or KeyState.Destroyed) continue;
            if (record.Purpose is not (KeyPurpose.Root or KeyPurpose.ReleaseSigning or KeyPurpose.ManifestSigning)) continue;
            if (new KeyRingTufSigner(ring, record).Key.KeyId != keyId) continue;
            ring.Revoke(record.Id, reason);
            return true;
        }

        return false;
    }

    private KeyRing? Ring(bool create)
    {
        if (_ring is not null) return _ring;
        if (File.Exists(KeyStoreSession.StorePath(home))) return _ring = KeyStoreSession.Open(home);
        if (!create) return null;
        Directory.CreateDirectory(KeyStoreSession.ResolveHome(home));
        return _ring = KeyStoreSession.Create(home, new PassphraseProtector(KeyStoreSession.ReadPassphrase, argon));
    }

    public void Dispose()
    {
        foreach (var key in _loaded) key.Dispose();
        _files.ForgetKek();
        _ring?.Dispose();
    }
}
