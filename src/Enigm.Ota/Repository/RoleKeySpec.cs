using Enigm.Ota.Metadata;

namespace Enigm.Ota.Repository;

/// <summary>The keys of one role and how many of them must sign (TUF 4.3 "roles", 4.5 delegations).</summary>
public sealed record RoleKeySpec(IReadOnlyList<TufKey> Keys, int Threshold);

/// <summary>What <see cref="TufRepository.Publish"/> wrote.</summary>
public sealed record PublishResult(long RootVersion, long TargetsVersion, long SnapshotVersion, long TimestampVersion, IReadOnlyList<string> WrittenFiles);

/// <summary>Where one staged role stands: who signed, who may sign, and whether the threshold is met.</summary>
public sealed record SigningStatus(string Role, long Version, int ValidSignatures, int Threshold, IReadOnlyList<string> SignedKeyIds, IReadOnlyList<string> AllowedKeyIds)
{
    public bool ThresholdMet => ValidSignatures >= Threshold;
}
