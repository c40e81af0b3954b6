using Enigm.Crypto.Secrets;

namespace Enigm.Crypto.Providers;

/// <summary>
/// ML-KEM providers that can produce the FIPS 203 expanded decapsulation key dk of a key, so that the
/// keyGen known-answer sets can compare it with the expected dk. Not part of the public surface:
/// Enigm stores and transmits the seed form only.
/// </summary>
internal interface IKemExpandedKeyExport
{
    SecretBytes ExportExpandedPrivateKey(PrivateKey privateKey);
}
