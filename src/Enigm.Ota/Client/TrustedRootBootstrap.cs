using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Ota.Errors;
using Enigm.Ota.Metadata;

namespace Enigm.Ota.Client;

/// <summary>
/// TUF 5.2, "Load the trusted root metadata file": the one place a device gets the root it starts
/// each update cycle from. The first root comes from a trusted source outside the repository (a
/// file shipped with the device, <c>enigm update --root</c>) and is checked against its own root
/// threshold before it is stored; from then on the stored root, which the root chain (5.3) keeps
/// current, always wins over the initial one, so an old initial root cannot undo a rotation.
/// Both the CLI and the demo call this instead of writing the store themselves.
/// </summary>
public static class TrustedRootBootstrap
{
    /// <summary>
    /// Makes sure <paramref name="store"/> holds a trusted root. When it has none,
    /// <paramref name="initialRoot"/> is called for the initial root's bytes, which must be signed by
    /// their own root threshold under <paramref name="policy"/>; then they are stored. Returns true
    /// when this call bootstrapped the store, false when a root was already stored (the initial root
    /// is then not even read).
    /// </summary>
    public static bool Ensure(TrustedMetadataStore store, Func<byte[]>? initialRoot, SuitePolicy? policy = null, CryptoProviders? providers = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store.HasRoot) return false;
        if (initialRoot is null)
            throw new RepositoryException($"No trusted root in {store.Directory}: bootstrap the device once with the repository's initial root.json.");
        var bytes = initialRoot();
        try
        {
            // Parsed and checked against its own threshold (5.2) before anything is stored.
            _ = new TrustedMetadataSet(bytes, DateTimeOffset.UtcNow, providers, policy);
        }
        catch (MalformedInputException e)
        {
            throw new MalformedInputException($"The initial root is not valid root metadata: {e.Message}", e);
        }

        store.Save(RootMetadata.RoleType, bytes);
        return true;
    }

    /// <summary><see cref="Ensure(TrustedMetadataStore, Func{byte[]}?, SuitePolicy?, CryptoProviders?)"/> with the initial root's bytes at hand.</summary>
    public static bool Ensure(TrustedMetadataStore store, byte[] initialRoot, SuitePolicy? policy = null, CryptoProviders? providers = null)
    {
        ArgumentNullException.ThrowIfNull(initialRoot);
        return Ensure(store, () => initialRoot, policy, providers);
    }

    /// <summary>
    /// Starts an update cycle (5.1–5.2) from the stored root: the set of trusted metadata for
    /// reference time <paramref name="now"/>. A stored root that no longer parses or verifies is
    /// reported as the damaged local state it is.
    /// </summary>
    public static TrustedMetadataSet LoadStored(TrustedMetadataStore store, DateTimeOffset now, SuitePolicy? policy = null, CryptoProviders? providers = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var bytes = store.Load(RootMetadata.RoleType)
            ?? throw new RepositoryException($"No trusted root in {store.Directory}: bootstrap the device with a root.json first.");
        try
        {
            return new TrustedMetadataSet(bytes, now, providers, policy);
        }
        catch (MalformedInputException e)
        {
            throw new MalformedInputException($"The stored trusted root in {store.Directory} is damaged: {e.Message}", e);
        }
    }
}
