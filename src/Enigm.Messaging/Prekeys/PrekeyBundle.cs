using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;

namespace Enigm.Messaging.Prekeys;

/// <summary>A public prekey with its id.</summary>
public sealed record PublicPrekey(uint Id, byte[] Key);

/// <summary>A one-time KEM prekey as committed to by a bundle signature: its id and SHA-256 of the key.</summary>
internal sealed record KemCommitment(uint Id, byte[] KeyHash);

/// <summary>
/// A device's prekey bundle as published and as fetched (unverified until <see cref="PrekeyBundleVerifier"/>):
/// <code>
/// bundle      = [version, suite, type, signed part (bstr), signature (bstr), [[id, OPK]…], [[id, PQOPK]…]]
/// signed part = [identity body, [id, SPK], [id, PQSPK (last resort)], [[id, SHA-256(PQOPK)]…], issued at]
/// </code>
/// One composite signature by the device key covers <c>"enigm/prekey-bundle/v1" ‖ binary FormatHeader ‖ signed part</c>:
/// the identity (X25519 identity key and X-Wing key), the signed prekey, the last-resort KEM key and a hash of
/// every one-time KEM key. A fetched copy carries at most one OPK and one PQOPK (<see cref="WithOnly"/>) and the
/// signature still covers it, so a bundle is verified with one signature check, whatever its size. OPKs are
/// unsigned, as in X3DH 3.2 and PQXDH 3.2.
/// </summary>
public sealed class PrekeyBundle
{
    /// <summary>Most one-time prekeys of each kind one bundle carries.</summary>
    public const int MaxOneTimePrekeys = 200;

    /// <summary>Ceiling of an encoded bundle: 200 one-time ML-KEM-1024 keys and their commitments, plus the rest.</summary>
    public const int MaxEncodedSize = 512 * 1024;

    private const int MaxSignatureSize = 5 * 1024;
    private const int KeyHashSize = 32;

    private static readonly byte[] DomainLabel = "enigm/prekey-bundle/v1"u8.ToArray();

    internal PrekeyBundle(FormatHeader header, byte[] signedPart, IdentityBody identity, PublicPrekey signedPrekey, PublicPrekey lastResortKemPrekey,
        IReadOnlyList<KemCommitment> kemCommitments, DateTimeOffset issuedAt, byte[] signature, IReadOnlyList<PublicPrekey> oneTimePrekeys, IReadOnlyList<PublicPrekey> oneTimeKemPrekeys)
    {
        Header = header;
        SignedPart = signedPart;
        Identity = identity;
        SignedPrekey = signedPrekey;
        LastResortKemPrekey = lastResortKemPrekey;
        KemCommitments = kemCommitments;
        IssuedAt = issuedAt;
        Signature = signature;
        OneTimePrekeys = oneTimePrekeys;
        OneTimeKemPrekeys = oneTimeKemPrekeys;
    }

    internal FormatHeader Header { get; }

    internal byte[] SignedPart { get; }

    internal IdentityBody Identity { get; }

    internal IReadOnlyList<KemCommitment> KemCommitments { get; }

    internal byte[] Signature { get; }

    /// <summary>The account the bundle claims (unverified).</summary>
    public Trust.Accounts.AccountFingerprint Account => Identity.Account;

    /// <summary>The device the bundle claims (unverified).</summary>
    public string DeviceId => Identity.DeviceId;

    public PublicPrekey SignedPrekey { get; }

    public PublicPrekey LastResortKemPrekey { get; }

    public DateTimeOffset IssuedAt { get; }

    public IReadOnlyList<PublicPrekey> OneTimePrekeys { get; }

    public IReadOnlyList<PublicPrekey> OneTimeKemPrekeys { get; }

    internal byte[] SignedMessage => MessagingCbor.SignedMessage(DomainLabel, Header, SignedPart);

    /// <summary>The bundle as a server hands it out: the same signed part, with only the one-time prekeys named (or none).</summary>
    public PrekeyBundle WithOnly(uint? oneTimePrekeyId, uint? oneTimeKemPrekeyId) =>
        new(Header, SignedPart, Identity, SignedPrekey, LastResortKemPrekey, KemCommitments, IssuedAt, Signature,
            [.. OneTimePrekeys.Where(k => k.Id == oneTimePrekeyId)],
            [.. OneTimeKemPrekeys.Where(k => k.Id == oneTimeKemPrekeyId)]);

    public byte[] Encode()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(7);
        Header.WriteTo(writer);
        writer.WriteByteString(SignedPart);
        writer.WriteByteString(Signature);
        WriteKeys(writer, OneTimePrekeys);
        WriteKeys(writer, OneTimeKemPrekeys);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>Structural decode with a size limit on every field; typed errors (<see cref="MalformedInputException"/> and the suite/version errors).</summary>
    public static PrekeyBundle Decode(ReadOnlyMemory<byte> encoded, SuitePolicy? policy = null)
    {
        policy ??= SuitePolicy.Default;
        return CanonicalCbor.Decode(encoded, MaxEncodedSize, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, 7);
            var header = FormatHeader.Read(reader, ObjectType.PrekeyBundle, policy);
            var suite = policy.Require(header.SuiteId);
            var signedPart = CanonicalCbor.ReadBytes(reader, MaxEncodedSize);
            var signature = CanonicalCbor.ReadBytes(reader, MaxSignatureSize);
            var oneTime = ReadKeys(reader, suite.SessionKeyAgreement.PublicKeySize, "one-time prekey");
            var oneTimeKem = ReadKeys(reader, suite.SessionKem.PublicKeySize, "one-time KEM prekey");
            reader.ReadEndArray();
            var (identity, signedPrekey, lastResort, commitments, issuedAt) = CanonicalCbor.Decode(signedPart, MaxEncodedSize, r => ReadSignedPart(r, suite));
            return new PrekeyBundle(header, signedPart, identity, signedPrekey, lastResort, commitments, issuedAt, signature, oneTime, oneTimeKem);
        });
    }

    internal static byte[] EncodeSignedPart(IdentityBody identity, PublicPrekey signedPrekey, PublicPrekey lastResort, IReadOnlyList<KemCommitment> commitments, DateTimeOffset issuedAt)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(5);
        identity.WriteTo(writer);
        WriteKey(writer, signedPrekey);
        WriteKey(writer, lastResort);
        writer.WriteStartArray(commitments.Count);
        foreach (var c in commitments)
        {
            writer.WriteStartArray(2);
            writer.WriteUInt32(c.Id);
            writer.WriteByteString(c.KeyHash);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteUInt64((ulong)issuedAt.ToUnixTimeMilliseconds());
        writer.WriteEndArray();
        return writer.Encode();
    }

    internal static byte[] SignedMessageFor(FormatHeader header, byte[] signedPart) => MessagingCbor.SignedMessage(DomainLabel, header, signedPart);

    private static (IdentityBody, PublicPrekey, PublicPrekey, IReadOnlyList<KemCommitment>, DateTimeOffset) ReadSignedPart(CborReader reader, Suite suite)
    {
        CanonicalCbor.ReadArrayStart(reader, 5);
        var identity = IdentityBody.Read(reader);
        var signedPrekey = ReadKey(reader, suite.SessionKeyAgreement.PublicKeySize, "signed prekey");
        var lastResort = ReadKey(reader, suite.SessionKem.PublicKeySize, "last-resort KEM prekey");
        var count = MessagingCbor.ReadArrayUpTo(reader, MaxOneTimePrekeys, "one-time KEM commitment");
        var commitments = new List<KemCommitment>(count);
        for (var i = 0; i < count; i++)
        {
            CanonicalCbor.ReadArrayStart(reader, 2);
            commitments.Add(new KemCommitment(MessagingCbor.ReadId(reader), MessagingCbor.ReadExact(reader, KeyHashSize, "KEM prekey hash")));
            reader.ReadEndArray();
        }

        reader.ReadEndArray();
        var issuedAt = MessagingCbor.ReadTimestamp(reader);
        reader.ReadEndArray();
        return (identity, signedPrekey, lastResort, commitments, issuedAt);
    }

    private static void WriteKeys(CborWriter writer, IReadOnlyList<PublicPrekey> keys)
    {
        writer.WriteStartArray(keys.Count);
        foreach (var key in keys) WriteKey(writer, key);
        writer.WriteEndArray();
    }

    private static void WriteKey(CborWriter writer, PublicPrekey key)
    {
        writer.WriteStartArray(2);
        writer.WriteUInt32(key.Id);
        writer.WriteByteString(key.Key);
        writer.WriteEndArray();
    }

    private static List<PublicPrekey> ReadKeys(CborReader reader, int keySize, string what)
    {
        var count = MessagingCbor.ReadArrayUpTo(reader, MaxOneTimePrekeys, what);
        var keys = new List<PublicPrekey>(count);
        for (var i = 0; i < count; i++) keys.Add(ReadKey(reader, keySize, what));
        reader.ReadEndArray();
        return keys;
    }

    private static PublicPrekey ReadKey(CborReader reader, int keySize, string what)
    {
        CanonicalCbor.ReadArrayStart(reader, 2);
        var id = MessagingCbor.ReadId(reader);
        var key = MessagingCbor.ReadExact(reader, keySize, what);
        reader.ReadEndArray();
        return new PublicPrekey(id, key);
    }
}
