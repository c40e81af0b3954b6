using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Secrets;

namespace Enigm.Crypto.Primitives;

/// <summary>
/// Diffie-Hellman (X25519). <see cref="Agree"/> throws <see cref="Errors.InvalidKeyException"/> when the
/// peer key has the wrong length or the result is all zero (a low-order point, RFC 7748 6.1).
/// </summary>
public interface IKeyAgreement
{
    KeyAgreementAlgorithm Algorithm { get; }

    string Provider { get; }

    PrivateKey GenerateKey();

    PrivateKey ImportPrivateKey(ReadOnlySpan<byte> privateKey);

    SecretBytes Agree(PrivateKey privateKey, ReadOnlySpan<byte> peerPublicKey);
}
