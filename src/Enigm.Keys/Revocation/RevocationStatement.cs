namespace Enigm.Keys.Revocation;

/// <summary>
/// "Key <see cref="RevokedKeyId"/> (whose public key hashes to <see cref="RevokedPublicKeySha256"/>) is
/// revoked since <see cref="RevokedAt"/> for <see cref="Reason"/>", signed by the authority key named in
/// the statement. Encoded and verified by <see cref="RevocationStatements"/>; times have millisecond precision.
/// </summary>
public sealed record RevocationStatement(
    string RevokedKeyId,
    string RevokedAlgorithm,
    byte[] RevokedPublicKeySha256,
    string Reason,
    DateTimeOffset RevokedAt,
    string AuthorityKeyId,
    string AuthorityAlgorithm,
    byte[] AuthorityPublicKey,
    ushort SuiteId);
