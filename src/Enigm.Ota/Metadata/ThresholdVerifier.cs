using Enigm.Crypto.Providers;
using Enigm.Ota.Errors;

namespace Enigm.Ota.Metadata;

/// <summary>
/// The threshold rule of TUF 5.3.4 / 5.4.2 / 5.5.2 / 5.6.3: metadata is trusted for a role when at
/// least <c>threshold</c> distinct keys of that role produced valid signatures over the canonical
/// "signed" bytes.
/// </summary>
public static class ThresholdVerifier
{
    /// <summary>
    /// Counts valid signatures by distinct keys of <paramref name="roleKeys"/>: a keyid counts once
    /// however many signatures carry it, two keyids naming the same public key count once, keys of
    /// unknown types and keyids missing from <paramref name="keys"/> count zero.
    /// </summary>
    public static int CountValidSignatures<T>(Metadata<T> metadata, RoleKeys roleKeys, IReadOnlyDictionary<string, TufKey> keys, CryptoProviders? providers = null)
        where T : RoleMetadata, IRoleMetadata<T>
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(roleKeys);
        ArgumentNullException.ThrowIfNull(keys);
        providers ??= CryptoProviders.Default;
        var signedBytes = metadata.SignedBytes;
        var counted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var keyId in roleKeys.KeyIds)
        {
            if (!keys.TryGetValue(keyId, out var key) || !key.IsSupported) continue;
            // The same key material under two keyids is one key, not two.
            var identity = key.KeyType + ":" + Convert.ToHexStringLower(key.PublicKey);
            if (counted.Contains(identity)) continue;
            foreach (var signature in metadata.Signatures)
            {
                if (signature.KeyId != keyId || !key.Verify(signedBytes, signature.Sig, providers)) continue;
                counted.Add(identity);
                break;
            }
        }

        return counted.Count;
    }

    /// <summary>Throws <see cref="ThresholdNotMetException"/> unless the role's threshold is met.</summary>
    public static void VerifyThreshold<T>(Metadata<T> metadata, string roleName, RoleKeys roleKeys, IReadOnlyDictionary<string, TufKey> keys, CryptoProviders? providers = null)
        where T : RoleMetadata, IRoleMetadata<T>
    {
        ArgumentNullException.ThrowIfNull(roleKeys);
        var valid = CountValidSignatures(metadata, roleKeys, keys, providers);
        if (valid < roleKeys.Threshold) throw new ThresholdNotMetException(roleName, valid, roleKeys.Threshold);
    }

    /// <summary>Verifies a top-level role's metadata against the keys and threshold <paramref name="root"/> assigns it.</summary>
    public static void VerifyThreshold<T>(Metadata<T> metadata, RootMetadata root, string roleName, CryptoProviders? providers = null)
        where T : RoleMetadata, IRoleMetadata<T>
    {
        ArgumentNullException.ThrowIfNull(root);
        VerifyThreshold(metadata, roleName, root.RoleFor(roleName), root.Keys, providers);
    }
}
