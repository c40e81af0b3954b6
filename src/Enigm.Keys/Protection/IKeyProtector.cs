using Enigm.Crypto.Secrets;

namespace Enigm.Keys.Protection;

/// <summary>
/// What a store keeps about its protector: the kind (<c>passphrase</c>, <c>tpm</c>, …) and opaque
/// parameters (salt and Argon2id costs, TPM sealed blobs, a KEK check value). Never a secret in the clear.
/// </summary>
public sealed record ProtectorDescriptor(string Kind, byte[] Parameters);

/// <summary>
/// Produces the key-encryption key (KEK) that wraps every private key of a store (the ASP.NET Core
/// Data Protection <c>IXmlEncryptor</c> seam). One interface, several small implementations chosen at
/// composition time.
/// </summary>
public interface IKeyProtector
{
    /// <summary>Stable kind name stored in the descriptor.</summary>
    string Kind { get; }

    /// <summary>A fresh 32-byte KEK and the descriptor from which <see cref="Unlock"/> recovers it.</summary>
    (ProtectorDescriptor Descriptor, SecretBytes Kek) Create();

    /// <summary>
    /// Recovers the KEK. Throws <see cref="Errors.WrongPassphraseException"/> when the secret is wrong,
    /// <see cref="Errors.ProtectorUnavailableException"/> when the hardware is absent, and
    /// <see cref="Enigm.Crypto.Errors.MalformedInputException"/> for corrupt parameters.
    /// </summary>
    SecretBytes Unlock(ProtectorDescriptor descriptor);
}
