using Enigm.Ota.Client;
using Xunit;

namespace Enigm.Ota.Tests.Client;

public sealed class DelegationMatcherTests
{
    [Theory]
    [InlineData("apps/*", "apps/a.bin", true)]
    [InlineData("apps/*", "apps/sub/a.bin", false)]
    [InlineData("*", "a.bin", true)]
    [InlineData("*.bin", "a.txt", false)]
    [InlineData("fw/m?-*.img", "fw/m1-2.1.0.img", true)]
    [InlineData("fw/m[12]-*.img", "fw/m3-2.1.0.img", false)]
    [InlineData("fw/m[!3]-*.img", "fw/m1-2.1.0.img", true)]
    [InlineData("fw/m[0-9]*", "fw/m7x", true)]
    [InlineData("a/*/c", "a/b/c", true)]
    [InlineData("exact.bin", "exact.bin", true)]
    [InlineData("exact.bin", "exact.bin2", false)]
    public void Matches_shell_style_patterns_segment_by_segment(string pattern, string path, bool expected) =>
        Assert.Equal(expected, DelegationMatcher.PathMatches(pattern, path));
}
