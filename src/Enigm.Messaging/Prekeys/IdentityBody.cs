using System.Formats.Cbor;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;

namespace Enigm.Messaging.Prekeys;

/// <summary>
/// What a device's messaging identity states, and what its device key signs (inside an
/// <see cref="IdentityCertificate"/> and inside every <see cref="PrekeyBundle"/>): deterministic CBOR
/// <c>[account fingerprint (32), device id, X25519 identity key (32), X-Wing sealed-sender key (1216), issued at (unix ms)]</c>.
/// </summary>
internal sealed record IdentityBody(
    AccountFingerprint Account,
    string DeviceId,
    byte[] IdentityKey,
    byte[] SealedSenderKey,
    DateTimeOffset IssuedAt)
{
    public const int Items = 5;

    /// <summary>The device id limit of the device log, so every device it names can have an identity.</summary>
    public const int MaxDeviceIdLength = DeviceLogEncoding.MaxIdLength;

    public static int SealedSenderKeySize => KemAlgorithm.XWing.PublicKeySize;

    /// <summary>Upper bound of the encoded body.</summary>
    public static int MaxEncodedSize => 16 + AccountFingerprint.Length + 3 + MaxDeviceIdLength + 3 + X25519PublicKeys.Size + 3 + SealedSenderKeySize + 9;

    public byte[] Encode()
    {
        var writer = CanonicalCbor.CreateWriter();
        WriteTo(writer);
        return writer.Encode();
    }

    public void WriteTo(CborWriter writer)
    {
        writer.WriteStartArray(Items);
        writer.WriteByteString(Account.Bytes);
        writer.WriteTextString(DeviceId);
        writer.WriteByteString(IdentityKey);
        writer.WriteByteString(SealedSenderKey);
        writer.WriteUInt64((ulong)IssuedAt.ToUnixTimeMilliseconds());
        writer.WriteEndArray();
    }

    public static IdentityBody Decode(ReadOnlyMemory<byte> encoded) =>
        CanonicalCbor.Decode(encoded, MaxEncodedSize, Read);

    /// <summary>Structural read with exact sizes; the keys are checked by <see cref="CheckKeys"/>.</summary>
    public static IdentityBody Read(CborReader reader)
    {
        CanonicalCbor.ReadArrayStart(reader, Items);
        var account = new AccountFingerprint(MessagingCbor.ReadExact(reader, AccountFingerprint.Length, "account fingerprint"));
        var deviceId = CanonicalCbor.ReadText(reader, MaxDeviceIdLength);
        if (deviceId.Length == 0) throw new MalformedInputException("The device id is empty.");
        var identityKey = MessagingCbor.ReadExact(reader, X25519PublicKeys.Size, "identity key");
        var sealedSenderKey = MessagingCbor.ReadExact(reader, SealedSenderKeySize, "sealed-sender key");
        var issuedAt = MessagingCbor.ReadTimestamp(reader);
        reader.ReadEndArray();
        return new IdentityBody(account, deviceId, identityKey, sealedSenderKey, issuedAt);
    }

    /// <summary>Canonical, not low-order identity key; an X-Wing key the provider accepts (FIPS 203 7.2 on its ML-KEM part).</summary>
    public void CheckKeys(CryptoProviders providers)
    {
        X25519PublicKeys.Check(IdentityKey, "identity key");
        try
        {
            providers.Kem(KemAlgorithm.XWing).ValidatePublicKey(SealedSenderKey);
        }
        catch (InvalidKeyException e)
        {
            throw new Errors.SetupKeyInvalidException("The sealed-sender key is not a valid X-Wing key.", e);
        }
    }
}
