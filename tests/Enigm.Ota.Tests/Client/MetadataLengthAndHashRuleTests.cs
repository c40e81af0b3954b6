using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Ota.Client;
using Enigm.Ota.Errors;
using Enigm.Ota.Metadata;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Client;

/// <summary>
/// The size ceilings of <see cref="TrustedMetadataSet"/> exactly at and one byte over (TUF 5.3.3 "W
/// bytes", 5.4.1 "X bytes"), the trusted length and hashes of TUF 5.5.1-5.5.2 and 5.6.2 (every known
/// hash must match, unknown ones are skipped, at least one must be known), and the rollback rules
/// at equality.
/// </summary>
public sealed class MetadataLengthAndHashRuleTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void A_root_of_exactly_max_root_bytes_is_accepted_and_one_byte_more_is_not()
    {
        var root = TestRepository.Sign(_repo.Root(1), _repo.RootSigners);
        var atLimit = PadTo(root, TrustedMetadataSet.MaxRootBytes);
        Assert.Equal(1, new TrustedMetadataSet(atLimit, TestRepository.Now).Root.Signed.Version);

        var e = Assert.Throws<MalformedInputException>(() => new TrustedMetadataSet(PadTo(root, TrustedMetadataSet.MaxRootBytes + 1), TestRepository.Now));
        Assert.Contains($"exceeds the limit of {TrustedMetadataSet.MaxRootBytes}", e.Message, StringComparison.Ordinal);

        var set = new TrustedMetadataSet(root, TestRepository.Now);
        var next = TestRepository.Sign(_repo.Root(2), _repo.RootSigners);
        Assert.Throws<MalformedInputException>(() => set.UpdateRoot(PadTo(next, TrustedMetadataSet.MaxRootBytes + 1)));
        Assert.Equal(2, set.UpdateRoot(PadTo(next, TrustedMetadataSet.MaxRootBytes)).Signed.Version);
    }

    [Fact]
    public void A_timestamp_of_exactly_max_timestamp_bytes_is_accepted_and_one_byte_more_is_not()
    {
        var set = Trust();
        var timestamp = _repo.Timestamp(1, 1);
        Assert.Throws<MalformedInputException>(() => set.UpdateTimestamp(PadTo(timestamp, TrustedMetadataSet.MaxTimestampBytes + 1)));
        Assert.Null(set.Timestamp);
        Assert.Equal(1, set.UpdateTimestamp(PadTo(timestamp, TrustedMetadataSet.MaxTimestampBytes)).Signed.Version);
    }

    [Fact]
    public void A_snapshot_of_exactly_its_trusted_length_is_accepted_and_the_trusted_length_is_a_ceiling()
    {
        var snapshot = _repo.Snapshot(1, TargetsMeta());
        var set = Trust();
        var meta = new MetaFile(1, snapshot.Length - 1, null);
        set.UpdateTimestamp(Timestamp(meta));
        var e = Assert.Throws<LengthExceededException>(() => set.UpdateSnapshot(snapshot));
        Assert.Equal("snapshot.json", e.Name);

        var exact = Trust();
        exact.UpdateTimestamp(Timestamp(new MetaFile(1, snapshot.Length, null)));
        Assert.Equal(1, exact.UpdateSnapshot(snapshot).Signed.Version);
    }

    [Fact]
    public void Only_a_sha512_hash_is_enough_and_is_checked()
    {
        var snapshot = _repo.Snapshot(1, TargetsMeta());
        var set = Trust();
        set.UpdateTimestamp(Timestamp(Hashes(("sha512", Hex(SHA512.HashData(snapshot))))));
        set.UpdateSnapshot(snapshot);

        var wrong = Trust();
        wrong.UpdateTimestamp(Timestamp(Hashes(("sha512", Hex(SHA512.HashData("other"u8))))));
        var e = Assert.Throws<HashMismatchException>(() => wrong.UpdateSnapshot(snapshot));
        Assert.Equal("snapshot.json", e.Name);
        Assert.Contains("sha512", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_known_hash_must_match_even_when_another_does()
    {
        var snapshot = _repo.Snapshot(1, TargetsMeta());
        var set = Trust();
        set.UpdateTimestamp(Timestamp(Hashes(("sha256", Hex(SHA256.HashData(snapshot))), ("sha512", Hex(SHA512.HashData("other"u8))))));
        Assert.Contains("sha512", Assert.Throws<HashMismatchException>(() => set.UpdateSnapshot(snapshot)).Message, StringComparison.Ordinal);

        var other = Trust();
        other.UpdateTimestamp(Timestamp(Hashes(("sha256", Hex(SHA256.HashData("other"u8))), ("sha512", Hex(SHA512.HashData(snapshot))))));
        Assert.Contains("sha256", Assert.Throws<HashMismatchException>(() => other.UpdateSnapshot(snapshot)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_hash_algorithms_are_skipped_but_cannot_stand_alone()
    {
        var snapshot = _repo.Snapshot(1, TargetsMeta());
        var set = Trust();
        set.UpdateTimestamp(Timestamp(Hashes(("blake2b", "00"), ("sha256", Hex(SHA256.HashData(snapshot))))));
        set.UpdateSnapshot(snapshot);

        var alone = Trust();
        alone.UpdateTimestamp(Timestamp(Hashes(("blake2b", "00"))));
        var e = Assert.Throws<MalformedInputException>(() => alone.UpdateSnapshot(snapshot));
        Assert.Contains("no supported hash algorithm among blake2b", e.Message, StringComparison.Ordinal);
        Assert.Null(alone.Snapshot);
    }

    [Fact]
    public void A_snapshot_from_the_local_store_skips_the_timestamps_length_and_hashes()
    {
        var stored = _repo.Snapshot(1, TargetsMeta());
        var set = Trust();
        set.UpdateTimestamp(Timestamp(new MetaFile(1, 10, new Dictionary<string, string> { ["sha256"] = Hex(SHA256.HashData("other"u8)) })));
        Assert.Equal(1, set.UpdateSnapshot(stored, fromLocalStore: true).Signed.Version);
    }

    [Fact]
    public void A_targets_role_at_the_same_version_in_a_new_snapshot_is_no_rollback()
    {
        var set = Trust();
        set.UpdateTimestamp(_repo.Timestamp(1, 2));
        set.UpdateSnapshot(_repo.Snapshot(1, TargetsMeta(5)), fromLocalStore: true);
        Assert.Equal(2, set.UpdateSnapshot(_repo.Snapshot(2, TargetsMeta(5))).Signed.Version);
    }

    [Fact]
    public void A_timestamp_naming_the_same_snapshot_version_is_no_rollback()
    {
        var set = Trust();
        set.UpdateTimestamp(_repo.Timestamp(3, 4));
        Assert.Equal(4, set.UpdateTimestamp(_repo.Timestamp(4, 4)).Signed.Version);
        var e = Assert.Throws<RollbackAttackException>(() => set.UpdateTimestamp(_repo.Timestamp(5, 3)));
        Assert.Equal("snapshot", e.Role);
        Assert.Equal(4, set.Timestamp!.Signed.Version);
    }

    [Fact]
    public void A_new_root_version_must_be_exactly_the_next_one()
    {
        var set = Trust();
        Assert.Throws<RollbackAttackException>(() => set.UpdateRoot(TestRepository.Sign(_repo.Root(1), _repo.RootSigners)));
        var skip = Assert.Throws<BadVersionNumberException>(() => set.UpdateRoot(TestRepository.Sign(_repo.Root(3), _repo.RootSigners)));
        Assert.Equal("root", skip.Role);
        Assert.Equal(1, set.Root.Signed.Version);
        Assert.Equal(2, set.UpdateRoot(TestRepository.Sign(_repo.Root(2), _repo.RootSigners)).Signed.Version);
    }

    [Fact]
    public void A_changed_snapshot_threshold_counts_as_a_key_rotation_but_reordered_keys_do_not()
    {
        string[] keys = [_repo.SnapshotSigner.KeyId, _repo.TargetsSigner.KeyId];
        var set = new TrustedMetadataSet(TestRepository.Sign(WithSnapshotRole(_repo.Root(1), keys, 1), _repo.RootSigners), TestRepository.Now);

        set.UpdateRoot(TestRepository.Sign(WithSnapshotRole(_repo.Root(2), [.. keys.Reverse()], 1), _repo.RootSigners));
        Assert.False(set.TimestampOrSnapshotKeysRotated);

        set.UpdateRoot(TestRepository.Sign(WithSnapshotRole(_repo.Root(3), [.. keys.Reverse()], 2), _repo.RootSigners));
        Assert.True(set.TimestampOrSnapshotKeysRotated);
    }

    [Fact]
    public void A_changed_snapshot_key_counts_as_a_key_rotation()
    {
        var set = Trust();
        _repo.SnapshotSigner = _repo.NewSigner();
        set.UpdateRoot(TestRepository.Sign(_repo.Root(2), _repo.RootSigners));
        Assert.True(set.TimestampOrSnapshotKeysRotated);
    }

    [Fact]
    public void The_final_root_must_not_have_expired()
    {
        var set = new TrustedMetadataSet(TestRepository.Sign(_repo.Root(1, TestRepository.Now.AddDays(-1)), _repo.RootSigners), TestRepository.Now);
        var e = Assert.Throws<MetadataExpiredException>(set.CheckRootNotExpired);
        Assert.Equal("root", e.Role);
        Assert.Throws<MetadataExpiredException>(() => set.UpdateTimestamp(_repo.Timestamp(1, 1)));
        Assert.Null(set.Timestamp);
    }

    private TrustedMetadataSet Trust() =>
        new(TestRepository.Sign(_repo.Root(1), _repo.RootSigners[0], _repo.RootSigners[1]), TestRepository.Now);

    private static RootMetadata WithSnapshotRole(RootMetadata root, string[] keyIds, int threshold) =>
        root with { Roles = new Dictionary<string, RoleKeys>(root.Roles) { ["snapshot"] = new(keyIds, threshold) } };

    private static Dictionary<string, MetaFile> TargetsMeta(long version = 1) => new() { ["targets.json"] = new(version) };

    private byte[] Timestamp(MetaFile snapshotMeta) =>
        TestRepository.Sign(new TimestampMetadata
        {
            Version = 1,
            Expires = TestKeys.FarFuture,
            Meta = new Dictionary<string, MetaFile> { ["snapshot.json"] = snapshotMeta },
        }, _repo.TimestampSigner);

    private static MetaFile Hashes(params (string Algorithm, string Hex)[] hashes) =>
        new(1, null, hashes.ToDictionary(h => h.Algorithm, h => h.Hex));

    private static string Hex(byte[] digest) => Convert.ToHexStringLower(digest);

    /// <summary>The same document followed by JSON whitespace up to <paramref name="length"/> bytes.</summary>
    private static byte[] PadTo(byte[] json, int length)
    {
        var padded = new byte[length];
        json.CopyTo(padded, 0);
        padded.AsSpan(json.Length).Fill((byte)' ');
        return padded;
    }
}
