using System.Formats.Asn1;
using System.Security.Cryptography;
using Enigm.Crypto.Errors;

namespace Enigm.Crypto.Providers.Signatures;

/// <summary>
/// RFC 5915 §3 <c>ECPrivateKey</c> for P-384, as the LAMPS composite draft serialises the ECDSA
/// component (§4 "Serialization": version 1, the NamedCurve parameter present, publicKey absent).
/// </summary>
internal static class EcPrivateKeyEncoding
{
    /// <summary>secp384r1 (SEC 2 §2.5.1; RFC 5480 §2.1.1.1).</summary>
    public const string Secp384r1Oid = "1.3.132.0.34";

    public const int P384ScalarSize = 48;

    public static byte[] EncodeP384(ReadOnlySpan<byte> scalar)
    {
        if (scalar.Length != P384ScalarSize)
            throw new ArgumentException("P-384 scalar must be 48 bytes.", nameof(scalar));
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(1);
            writer.WriteOctetString(scalar);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                writer.WriteObjectIdentifier(Secp384r1Oid);
        }

        return writer.Encode();
    }

    /// <summary>Parses the DER ECPrivateKey and returns the 48-byte scalar (caller zeroes it).</summary>
    public static byte[] DecodeP384(ReadOnlySpan<byte> der)
    {
        var buffer = der.ToArray();
        try
        {
            var reader = new AsnReader(buffer, AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            if (reader.HasData) throw new InvalidKeyException("ECPrivateKey has trailing bytes.");
            if (!sequence.TryReadInt32(out var version) || version != 1)
                throw new InvalidKeyException("ECPrivateKey version must be 1 (RFC 5915 §3).");
            var scalar = sequence.ReadOctetString();
            if (scalar.Length != P384ScalarSize)
            {
                CryptographicOperations.ZeroMemory(scalar);
                throw new InvalidKeyException($"ECPrivateKey privateKey is {scalar.Length} bytes; P-384 needs {P384ScalarSize}.");
            }

            var parameters = sequence.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
            var curve = parameters.ReadObjectIdentifier();
            if (parameters.HasData || curve != Secp384r1Oid || sequence.HasData)
            {
                CryptographicOperations.ZeroMemory(scalar);
                throw new InvalidKeyException("ECPrivateKey must name secp384r1 and carry no public key (composite draft §4).");
            }

            return scalar;
        }
        catch (AsnContentException e)
        {
            throw new InvalidKeyException("ECPrivateKey is not valid DER.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }
}
