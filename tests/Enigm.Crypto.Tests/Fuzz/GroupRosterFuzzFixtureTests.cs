using Enigm.Fuzz;
using Xunit;

namespace Enigm.Crypto.Tests.Fuzz;

/// <summary>
/// The group roster fuzz targets get past the hash link (docs/fuzzing.md, "Group targets"): entries signed by another
/// process — the committed corpus — link to the fuzzing process's fixed roster and are accepted, and the field-record
/// target reaches the rules with its own seeds.
/// </summary>
public sealed class GroupRosterFuzzFixtureTests
{
    [Theory]
    [InlineData("00-promote.bin")]
    [InlineData("01-add.bin")]
    [InlineData("02-leave.bin")]
    [InlineData("03-remove.bin")]
    public void Committed_roster_entries_signed_by_another_process_link_and_are_accepted(string seed)
    {
        var target = FuzzTargets.Find("group-roster-entry")!;
        target.Prepare();
        Assert.Equal(FuzzTarget.Accepted, target.Execute(File.ReadAllBytes(Path.Combine(Corpus("group-roster-entry"), seed))));
    }

    [Theory]
    [InlineData("04-replayed.bin", "group-roster-replay")]
    [InlineData("05-bad-signature.bin", "group-roster-signature")]
    public void Committed_near_miss_roster_entries_fail_on_the_rule_they_break_not_on_the_link(string seed, string code)
    {
        var target = FuzzTargets.Find("group-roster-entry")!;
        target.Prepare();
        Assert.Equal(code, target.Execute(File.ReadAllBytes(Path.Combine(Corpus("group-roster-entry"), seed))));
    }

    private static string Corpus(string target)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Enigm.slnx")))
                return Path.Combine(dir.FullName, "fuzz", "corpus", target);
        }

        throw new DirectoryNotFoundException("Enigm.slnx not found above the test binaries.");
    }
}
