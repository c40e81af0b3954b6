namespace Enigm.Keys.Model;

/// <summary>
/// One version of a key, as stored (private material excluded: it lives only wrapped). Versions of
/// one logical key share <see cref="SeriesId"/>; <see cref="Id"/> is <c>{series}.v{version}</c>.
/// </summary>
public sealed record KeyRecord
{
    public required string Id { get; init; }

    public required string SeriesId { get; init; }

    public required int Version { get; init; }

    public required KeyPurpose Purpose { get; init; }

    public required ushort SuiteId { get; init; }

    /// <summary>Algorithm name as in <see cref="Enigm.Crypto.Algorithms.CryptoAlgorithm.Name"/>.</summary>
    public required string Algorithm { get; init; }

    public required KeyState State { get; init; }

    public required byte[] PublicKey { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? ActivatedAt { get; init; }

    public DateTimeOffset? DeactivatedAt { get; init; }

    /// <summary>End of the cryptoperiod: activation + <see cref="Cryptoperiod"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public required TimeSpan Cryptoperiod { get; init; }

    /// <summary>After deactivation, verify/decrypt are allowed until this instant.</summary>
    public DateTimeOffset? GraceUntil { get; init; }

    public string? PredecessorId { get; init; }

    public string? SuccessorId { get; init; }

    /// <summary>Why the last transition happened (operator text or a fixed reason such as <c>rotation</c>).</summary>
    public string? Reason { get; init; }

    public static string VersionId(string seriesId, int version) => $"{seriesId}.v{version}";
}
