using System.Buffers.Binary;
using System.Formats.Cbor;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;

namespace Enigm.Crypto.Encoding;

/// <summary>
/// What an Enigm object is. Part of the header so that bytes made for one purpose can never be
/// accepted as another (a signature over a manifest presented as a device-log entry, say). Later
/// formats register their own values here; values are never reused.
/// </summary>
public enum ObjectType : byte
{
    PublicKey = 1,
    Signature = 2,
    KemCiphertext = 3,

    /// <summary>Enigm.Keys: a signed statement that a key is revoked.</summary>
    RevocationStatement = 4,

    /// <summary>Enigm.Keys: a signed checkpoint of the audit log's hash chain.</summary>
    AuditCheckpoint = 5,

    /// <summary>Enigm.Trust: one entry of an account's device log.</summary>
    DeviceLogEntry = 16,

    // --- posture and organisation policy (issue 14, docs/policy.md) ---

    /// <summary>Enigm.Trust: a device's signed security posture statement.</summary>
    PostureStatement = 20,

    /// <summary>Enigm.Trust: an organisation policy signed by the organisation admin key.</summary>
    OrganisationPolicy = 21,

    /// <summary>Enigm.Trust: an administrator action (policy change, restrict, lift, revoke) signed by the organisation key.</summary>
    AdminAction = 22,

    /// <summary>Enigm.Messaging: a device's messaging identity (X25519 and X-Wing keys) certified by its device key.</summary>
    IdentityCertificate = 32,

    /// <summary>Enigm.Messaging: a device's prekey bundle (PQXDH).</summary>
    PrekeyBundle = 33,

    /// <summary>Enigm.Messaging: the PQXDH initial message.</summary>
    PqxdhInitialMessage = 34,

    /// <summary>Enigm.Messaging: the envelope a relay stores for one recipient device.</summary>
    Envelope = 35,

    /// <summary>Enigm.Messaging: the post-quantum sealed-sender layer inside an envelope.</summary>
    SealedSenderLayer = 36,

    /// <summary>Enigm.Messaging groups: one entry of a group's signed membership roster.</summary>
    GroupRosterEntry = 48,

    /// <summary>Enigm.Messaging groups: a sender-key distribution message (sent over a pairwise session).</summary>
    SenderKeyDistribution = 49,

    /// <summary>Enigm.Messaging groups: a group message encrypted once under a sender key.</summary>
    GroupMessage = 50,

    /// <summary>Enigm.Messaging groups: one group message with the member devices it is delivered to.</summary>
    GroupDelivery = 51,
}

/// <summary>
/// The versioned header every Enigm format starts with: format version and suite id, plus the object
/// type. Binary form (6 bytes): 'E' 'N' ‖ version (u8) ‖ suite id (u16, big-endian) ‖ object type (u8).
/// CBOR form: the first three items of the object's top-level array, [version, suite, type, …].
/// Decoding checks, in order: magic, version (<see cref="UnsupportedFormatVersionException"/>), suite
/// against the policy (<see cref="UnknownSuiteException"/>, <see cref="SuiteRefusedException"/>), type.
/// </summary>
public readonly record struct FormatHeader(byte Version, ushort SuiteId, ObjectType Type)
{
    /// <summary>The only format version this build writes and reads.</summary>
    public const byte CurrentVersion = 1;

    public const int BinarySize = 6;

    private const byte MagicE = (byte)'E';
    private const byte MagicN = (byte)'N';

    public static FormatHeader For(Suite suite, ObjectType type) => new(CurrentVersion, suite.Id, type);

    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < BinarySize) throw new ArgumentException("Destination too small.", nameof(destination));
        destination[0] = MagicE;
        destination[1] = MagicN;
        destination[2] = Version;
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], SuiteId);
        destination[5] = (byte)Type;
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[BinarySize];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Parses and checks a binary header at the start of <paramref name="input"/>.</summary>
    public static FormatHeader Read(ReadOnlySpan<byte> input, ObjectType expectedType, SuitePolicy policy)
    {
        if (input.Length < BinarySize)
            throw new MalformedInputException($"Header needs {BinarySize} bytes, got {input.Length}.");
        if (input[0] != MagicE || input[1] != MagicN)
            throw new MalformedInputException("Not an Enigm object (bad magic).");
        return Check(input[2], BinaryPrimitives.ReadUInt16BigEndian(input[3..]), input[5], expectedType, policy);
    }

    public void WriteTo(CborWriter writer)
    {
        writer.WriteUInt32(Version);
        writer.WriteUInt32(SuiteId);
        writer.WriteUInt32((byte)Type);
    }

    /// <summary>Reads and checks the three header items from the current CBOR array.</summary>
    public static FormatHeader Read(CborReader reader, ObjectType expectedType, SuitePolicy policy)
    {
        var version = CanonicalCbor.ReadUInt(reader, byte.MaxValue);
        var suite = CanonicalCbor.ReadUInt(reader, ushort.MaxValue);
        var type = CanonicalCbor.ReadUInt(reader, byte.MaxValue);
        return Check((byte)version, (ushort)suite, (byte)type, expectedType, policy);
    }

    private static FormatHeader Check(byte version, ushort suiteId, byte type, ObjectType expectedType, SuitePolicy policy)
    {
        if (version != CurrentVersion) throw new UnsupportedFormatVersionException(version);
        policy.Require(suiteId);
        if (type != (byte)expectedType)
            throw new MalformedInputException($"Expected a {expectedType} object, found type {type}.");
        return new FormatHeader(version, suiteId, (ObjectType)type);
    }
}
