namespace Enigm.Crypto.Algorithms;

public enum AlgorithmKind
{
    Kem,
    KeyAgreement,
    Signature,
    Aead,
    Kdf,
    Hash,
    KeyWrap,
    Mac,
}

/// <summary>
/// An algorithm as a value (the NSec <c>SignatureAlgorithm.Ed25519</c> model): comparable, listable,
/// refusable by policy. Identity is the (kind, name) pair; names are the standards' own spellings.
/// </summary>
public abstract class CryptoAlgorithm : IEquatable<CryptoAlgorithm>
{
    protected CryptoAlgorithm(string name) => Name = name;

    public string Name { get; }

    public abstract AlgorithmKind Kind { get; }

    public bool Equals(CryptoAlgorithm? other) =>
        other is not null && other.Kind == Kind && string.Equals(other.Name, Name, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as CryptoAlgorithm);

    public override int GetHashCode() => HashCode.Combine(Kind, Name);

    public override string ToString() => Name;

    public static bool operator ==(CryptoAlgorithm? a, CryptoAlgorithm? b) => a is null ? b is null : a.Equals(b);

    public static bool operator !=(CryptoAlgorithm? a, CryptoAlgorithm? b) => !(a == b);

    /// <summary>Every algorithm this build knows, in a stable order.</summary>
    public static IReadOnlyList<CryptoAlgorithm> All { get; } =
    [
        .. KemAlgorithm.All,
        .. KeyAgreementAlgorithm.All,
        .. SignatureAlgorithm.All,
        .. AeadAlgorithm.All,
        .. KdfAlgorithm.All,
        .. HashAlgorithm.All,
        .. KeyWrapAlgorithm.All,
        .. MacAlgorithm.All,
    ];

    /// <summary>Looks an algorithm up by kind and name; null when unknown.</summary>
    public static CryptoAlgorithm? Find(AlgorithmKind kind, string name) =>
        All.FirstOrDefault(a => a.Kind == kind && string.Equals(a.Name, name, StringComparison.Ordinal));
}
