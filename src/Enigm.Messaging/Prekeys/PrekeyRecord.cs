using Enigm.Crypto.Secrets;

namespace Enigm.Messaging.Prekeys;

/// <summary>The four kinds of prekey a device holds (PQXDH 3.2), with the Enigm.Keys purpose each maps to.</summary>
public enum PrekeyKind
{
    /// <summary>SPK: medium-term X25519, signed in the bundle, rotated (Enigm.Keys purpose <c>signed-prekey</c>).</summary>
    SignedPrekey = 1,

    /// <summary>OPK: one-time X25519, unsigned as in X3DH, deleted once used (<c>one-time-prekey</c>).</summary>
    OneTimePrekey = 2,

    /// <summary>PQOPK: one-time ML-KEM-1024, committed to by the bundle signature, deleted once used (<c>kem-prekey</c>).</summary>
    OneTimeKemPrekey = 3,

    /// <summary>PQSPK: the signed last-resort ML-KEM-1024 key, used when no one-time KEM key is left, rotated (<c>kem-prekey</c>).</summary>
    LastResortKemPrekey = 4,
}

/// <summary>One prekey of this device: kind, id (unique per device and never reused), the private key handle and when it was made.</summary>
public sealed record PrekeyRecord(PrekeyKind Kind, uint Id, PrivateKey Key, DateTimeOffset CreatedAt)
{
    public bool IsOneTime => Kind is PrekeyKind.OneTimePrekey or PrekeyKind.OneTimeKemPrekey;

    public override string ToString() => $"{Kind} {Id} ({Key})";
}
