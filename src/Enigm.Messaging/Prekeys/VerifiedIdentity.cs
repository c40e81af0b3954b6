using System.Security.Cryptography;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Suites;
using Enigm.Trust.Accounts;

namespace Enigm.Messaging.Prekeys;

/// <summary>
/// A device's messaging identity after its signature was checked against the device's current key in a
/// verified device log: the account and device it belongs to, the composite device key that vouches for
/// it, the X25519 identity key PQXDH uses and the X-Wing key sealed sender encrypts to. Public data.
/// </summary>
public sealed record VerifiedIdentity
{
    private static readonly byte[] BindingLabel = "enigm/identity-binding/v1"u8.ToArray();

    internal VerifiedIdentity(Suite suite, AccountFingerprint account, string deviceId, byte[] devicePublicKey, byte[] identityKey, byte[] sealedSenderKey)
    {
        Suite = suite;
        Account = account;
        DeviceId = deviceId;
        DevicePublicKey = devicePublicKey;
        IdentityKey = identityKey;
        SealedSenderKey = sealedSenderKey;
        Binding = ComputeBinding();
    }

    public Suite Suite { get; }

    public AccountFingerprint Account { get; }

    public string DeviceId { get; }

    /// <summary>The device's composite signing key as its device log holds it (an encoded <c>CryptoObject</c>).</summary>
    public byte[] DevicePublicKey { get; }

    /// <summary>The X25519 identity key (IK in PQXDH).</summary>
    public byte[] IdentityKey { get; }

    /// <summary>The X-Wing public key sealed-sender layers to this device are encrypted to.</summary>
    public byte[] SealedSenderKey { get; }

    /// <summary>
    /// SHA-256 over <c>"enigm/identity-binding/v1" ‖ CBOR[suite id, account, device id, device key, identity key,
    /// sealed-sender key]</c>. Signal's identity key is its own signing key (XEdDSA); Enigm's X25519 key is
    /// vouched for by a separate composite key, so PQXDH binds this hash of the whole chain into AD and KDF
    /// (docs/protocol.md, "PQXDH"). Both sides compute it from verified data only; no timestamp enters it.
    /// </summary>
    public byte[] Binding { get; }

    private byte[] ComputeBinding()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(6);
        writer.WriteUInt32(Suite.Id);
        writer.WriteByteString(Account.Bytes);
        writer.WriteTextString(DeviceId);
        writer.WriteByteString(DevicePublicKey);
        writer.WriteByteString(IdentityKey);
        writer.WriteByteString(SealedSenderKey);
        writer.WriteEndArray();
        var body = writer.Encode();
        var input = new byte[BindingLabel.Length + body.Length];
        BindingLabel.CopyTo(input, 0);
        body.CopyTo(input, BindingLabel.Length);
        return SHA256.HashData(input);
    }

    public bool Equals(VerifiedIdentity? other) =>
        other is not null && Binding.AsSpan().SequenceEqual(other.Binding);

    public override int GetHashCode() => BitConverter.ToInt32(Binding, 0);

    public override string ToString() => $"{Account.Hex[..16]}…/{DeviceId}";
}
