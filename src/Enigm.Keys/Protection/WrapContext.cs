namespace Enigm.Keys.Protection;

/// <summary>
/// What a wrapped key is bound to as AEAD associated data, so a wrapped row cannot be moved to another
/// key, purpose, version or store, nor replayed in place of another version.
/// </summary>
public sealed record WrapContext(string StoreId, string KeyId, string Purpose, int Version, string Algorithm, ushort SuiteId);

/// <summary>A private key wrapped with AES-256-GCM under the store's KEK.</summary>
public sealed record WrappedKey(byte[] Nonce, byte[] Ciphertext);
