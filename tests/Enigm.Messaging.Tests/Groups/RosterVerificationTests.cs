using Enigm.Crypto.Errors;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Groups.Roster;
using Enigm.Messaging.Tests.Support;
using Xunit;

namespace Enigm.Messaging.Tests.Groups;

/// <summary>The roster's verification rules (docs/groups.md, "Verification rules"), each failure with its own typed error.</summary>
public sealed class RosterVerificationTests : IDisposable
{
    private readonly RosterFixture _world = new();
    private readonly TestAccount _alice;
    private readonly TestAccount _bob;
    private readonly TestAccount _carol;

    public RosterVerificationTests()
    {
        _alice = _world.Account("alice", devices: 2);
        _bob = _world.Account("bob");
        _carol = _world.Account("carol");
    }

    public void Dispose() => _world.Dispose();

    private GroupRosterWriter Group()
    {
        var writer = _world.Create(_alice);
        writer.Add(_bob.Fingerprint);
        return writer;
    }

    [Fact]
    public void Every_member_replays_the_roster_to_the_same_members_and_admins()
    {
        var writer = Group();
        writer.Add(_carol.Fingerprint);
        writer.Promote(_bob.Fingerprint);

        var roster = _world.Verify(writer.Entries);

        Assert.Equal("friends", roster.Name);
        Assert.Equal(writer.GroupId, roster.GroupId);
        Assert.Equal(3, roster.Members.Count);
        Assert.True(roster.IsAdmin(_alice.Fingerprint));
        Assert.True(roster.IsAdmin(_bob.Fingerprint));
        Assert.False(roster.IsAdmin(_carol.Fingerprint));
        Assert.Equal(new GroupRosterHead(3, System.Security.Cryptography.SHA256.HashData(writer.Entries[3])), roster.Head);
    }

    [Fact]
    public void Removal_and_leave_end_membership()
    {
        var writer = Group();
        writer.Add(_carol.Fingerprint);
        writer.Remove(_bob.Fingerprint);
        var carol = _world.Open(writer.Entries, _carol);
        carol.Leave();

        var roster = _world.Verify(carol.Entries);

        Assert.Equal([_alice.Fingerprint], roster.Members.Select(m => m.Account));
        Assert.Equal([GroupRosterEntryKind.Remove, GroupRosterEntryKind.Leave], roster.FormerMembers.Select(f => f.How));
    }

    [Fact]
    public void Rejects_a_change_signed_by_a_member_who_is_not_an_admin()
    {
        var writer = Group();
        var forged = RosterFixture.Forge(writer.Entries, GroupRosterEntryKind.Add, RosterFixture.Signer(_bob), _carol.Fingerprint);

        var error = Assert.Throws<GroupRosterNotAdminException>(() => _world.Verify([.. writer.Entries, forged]));
        Assert.Equal(2, error.Sequence);
        // The writer refuses to make it too, with the same error, and appends nothing.
        var bob = _world.Open(writer.Entries, _bob);
        Assert.Throws<GroupRosterNotAdminException>(() => bob.Remove(_alice.Fingerprint));
        Assert.Equal(2, bob.Entries.Count);
    }

    [Fact]
    public void Rejects_a_change_signed_by_an_account_that_is_not_a_member()
    {
        var writer = Group();
        var forged = RosterFixture.Forge(writer.Entries, GroupRosterEntryKind.Add, RosterFixture.Signer(_carol), _carol.Fingerprint);

        Assert.Throws<GroupRosterNotAdminException>(() => _world.Verify([.. writer.Entries, forged]));
    }

    [Fact]
    public void Rejects_a_fork_against_the_head_seen_before()
    {
        var writer = Group();
        var seen = _world.Verify(writer.Entries).Head;
        var branchA = RosterFixture.Forge(writer.Entries, GroupRosterEntryKind.Add, RosterFixture.Signer(_alice), _carol.Fingerprint);
        var seenA = _world.Verify([.. writer.Entries, branchA]).Head;
        var branchB = RosterFixture.Forge(writer.Entries, GroupRosterEntryKind.Promote, RosterFixture.Signer(_alice), _bob.Fingerprint);

        var error = Assert.Throws<GroupRosterForkException>(() => _world.Verify([.. writer.Entries, branchB], seenA));
        Assert.Equal(2, error.Sequence);
        // A member that had seen only the common prefix accepts either branch.
        Assert.True(_world.Verify([.. writer.Entries, branchB], seen).IsAdmin(_bob.Fingerprint));
    }

    [Fact]
    public void Rejects_a_second_entry_at_a_position_already_taken_as_a_fork()
    {
        var writer = Group();
        var other = RosterFixture.Forge(writer.Entries, GroupRosterEntryKind.Add, RosterFixture.Signer(_alice), _carol.Fingerprint, sequence: 1, previousHash: System.Security.Cryptography.SHA256.HashData(writer.Entries[0]));

        var error = Assert.Throws<GroupRosterForkException>(() => _world.Verify([.. writer.Entries, other]));
        Assert.Equal(1, error.Sequence);
    }

    [Fact]
    public void Rejects_a_roster_rolled_back_before_the_head_seen()
    {
        var writer = Group();
        writer.Add(_carol.Fingerprint);
        var seen = _world.Verify(writer.Entries).Head;

        var error = Assert.Throws<GroupRosterRollbackException>(() => _world.Verify(writer.Entries.Take(2).ToList(), seen));
        Assert.Equal(2, error.Sequence);
    }

    [Fact]
    public void Rejects_a_replayed_entry()
    {
        var writer = Group();
        writer.Add(_carol.Fingerprint);

        var error = Assert.Throws<GroupRosterReplayException>(() => _world.Verify([.. writer.Entries, writer.Entries[1]]));
        Assert.Equal(1, error.Sequence);
    }

    [Fact]
    public void Rejects_a_tampered_signature()
    {
        var writer = Group();
        var tampered = Bytes.Flip(writer.Entries[1], writer.Entries[1].Length - 10);

        Assert.Throws<GroupRosterSignatureException>(() => _world.Verify([writer.Entries[0], tampered]));
    }

    [Fact]
    public void Rejects_an_entry_signed_by_a_device_its_account_revoked()
    {
        var writer = Group();
        _alice.Revoke(_alice.Devices[1]);
        var forged = RosterFixture.Forge(writer.Entries, GroupRosterEntryKind.Add, RosterFixture.Signer(_alice, device: 1), _carol.Fingerprint);

        var error = Assert.Throws<GroupRosterSignatureException>(() => _world.Verify([.. writer.Entries, forged]));
        Assert.Contains("revoked", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void History_signed_before_a_revocation_stays_valid_up_to_the_head_already_seen()
    {
        var writer = GroupRosterWriter.Create("friends", RosterFixture.Signer(_alice, device: 1), _world.Logs);
        writer.Add(_bob.Fingerprint);
        var seen = _world.Verify(writer.Entries).Head;
        _alice.Revoke(_alice.Devices[1]);

        Assert.Equal(2, _world.Verify(writer.Entries, seen).Members.Count);
        Assert.Throws<GroupRosterSignatureException>(() => _world.Verify(writer.Entries));
    }

    [Fact]
    public void Rejects_a_gap_and_a_broken_link()
    {
        var writer = Group();
        var gap = RosterFixture.Forge(writer.Entries, GroupRosterEntryKind.Add, RosterFixture.Signer(_alice), _carol.Fingerprint, sequence: 3);
        var broken = RosterFixture.Forge(writer.Entries, GroupRosterEntryKind.Add, RosterFixture.Signer(_alice), _carol.Fingerprint, previousHash: new byte[32]);

        Assert.Throws<GroupRosterInvalidException>(() => _world.Verify([.. writer.Entries, gap]));
        Assert.Throws<GroupRosterInvalidException>(() => _world.Verify([.. writer.Entries, broken]));
    }

    [Fact]
    public void Rejects_an_entry_of_another_group()
    {
        var writer = Group();
        var other = RosterFixture.Forge(writer.Entries, GroupRosterEntryKind.Add, RosterFixture.Signer(_alice), _carol.Fingerprint, group: GroupId.New());

        Assert.Throws<GroupRosterInvalidException>(() => _world.Verify([.. writer.Entries, other]));
    }

    [Fact]
    public void Rejects_changes_that_do_not_apply()
    {
        var writer = Group();

        Assert.Throws<GroupRosterInvalidException>(() => writer.Add(_bob.Fingerprint));
        Assert.Throws<GroupRosterInvalidException>(() => writer.Remove(_carol.Fingerprint));
        Assert.Throws<GroupRosterInvalidException>(() => writer.Remove(_alice.Fingerprint));
        Assert.Throws<GroupRosterInvalidException>(() => writer.Demote(_alice.Fingerprint));
        Assert.Throws<GroupRosterInvalidException>(() => writer.Leave());
        Assert.Equal(2, writer.Entries.Count);
    }

    [Fact]
    public void Rejects_a_roster_over_its_limits()
    {
        var writer = Group();
        writer.Add(_carol.Fingerprint);

        Assert.Throws<GroupRosterInvalidException>(() => _world.Verify(writer.Entries, limits: new GroupRosterLimits { MaxEntries = 2 }));
        Assert.Throws<GroupRosterInvalidException>(() => _world.Verify(writer.Entries, limits: new GroupRosterLimits { MaxRosterBytes = 5000 }));
        Assert.Throws<GroupRosterInvalidException>(() => _world.Verify(writer.Entries, limits: new GroupRosterLimits { MaxMembers = 2 }));
    }

    [Fact]
    public void Rejects_malformed_bytes_with_a_typed_error()
    {
        var writer = Group();

        Assert.Throws<MalformedInputException>(() => _world.Verify([writer.Entries[0], [0x83, 0x01, 0x02]]));
        Assert.Throws<MalformedInputException>(() => _world.Verify([writer.Entries[0], [.. writer.Entries[1], 0x00]]));
        Assert.Throws<GroupRosterInvalidException>(() => _world.Verify([]));
    }

    [Fact]
    public void The_tracker_stores_only_rosters_that_verify_against_the_stored_head()
    {
        var writer = Group();
        var store = new InMemoryGroupRosterStore();
        var tracker = new GroupRosterTracker(store, _world.Logs);
        tracker.Accept(writer.GroupId, writer.Entries);
        writer.Add(_carol.Fingerprint);
        tracker.Accept(writer.GroupId, writer.Entries);

        Assert.Throws<GroupRosterRollbackException>(() => tracker.Accept(writer.GroupId, writer.Entries.Take(2).ToList()));
        Assert.Equal(2, store.Load(writer.GroupId)!.Value.Head.Sequence);
        Assert.Equal(3, tracker.Current(writer.GroupId)!.Members.Count);
    }
}
