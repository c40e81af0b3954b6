using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;

namespace Enigm.Trust.Enrollment;

/// <summary>
/// The DeviceInfo payload: canonical CBOR [signature algorithm name, public key, device name]. Read
/// with strict limits; an unknown algorithm or an undecodable key is a typed error.
/// </summary>
internal static class DeviceInfo
{
    public const int MaxNameBytes = 64;

    public const int MaxAlgorithmNameBytes = 64;

    public const int MaxPublicKeySize = 8192;

    public const int MaxSize = MaxPublicKeySize + MaxNameBytes + MaxAlgorithmNameBytes + 32;

    public static byte[] Encode(EnrolledDeviceKey key, string name)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxNameBytes || name.Length == 0)
            throw new ArgumentException($"A device name is 1 to {MaxNameBytes} UTF-8 bytes.", nameof(name));
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(3);
        writer.WriteTextString(key.Algorithm.Name);
        writer.WriteByteString(key.PublicKey);
        writer.WriteTextString(name);
        writer.WriteEndArray();
        return writer.Encode();
    }

    public static (EnrolledDeviceKey Key, string Name) Decode(byte[] payload) =>
        CanonicalCbor.Decode(payload, MaxSize, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, 3);
            var algorithmName = CanonicalCbor.ReadText(reader, MaxAlgorithmNameBytes);
            var publicKey = CanonicalCbor.ReadBytes(reader, MaxPublicKeySize);
            var name = CanonicalCbor.ReadText(reader, MaxNameBytes);
            reader.ReadEndArray();
            if (name.Length == 0) throw new MalformedInputException("The device name is empty.");
            var algorithm = CryptoAlgorithm.Find(AlgorithmKind.Signature, algorithmName) as SignatureAlgorithm
                ?? throw new MalformedInputException($"Unknown device signature algorithm '{algorithmName}'.");
            if (publicKey.Length != algorithm.PublicKeySize)
                throw new MalformedInputException($"A {algorithm.Name} public key is {algorithm.PublicKeySize} bytes, not {publicKey.Length}.");
            return (new EnrolledDeviceKey(algorithm, publicKey), name);
        });
}
