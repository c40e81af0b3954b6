using System.Text.Json;
using Enigm.Cli.Output;
using Xunit;

namespace Enigm.Cli.Tests;

/// <summary>
/// <c>enigm demo --chapter trust-center</c> (issue 14): the managed fleet on a real relay, the old client restricted
/// and brought back through the OTA path, the pages read headless (or over HTTP without Chromium). The chapter exits
/// non-zero when any of its claims fails, so this test fails with the first claim that does not hold.
/// </summary>
public sealed class TrustCenterChapterTests
{
    [Fact]
    public void The_trust_center_chapter_restricts_the_old_client_and_an_OTA_update_brings_it_back()
    {
        var (code, output, error) = Support.Enigm.Run("demo", "--chapter", "trust-center", "--json");

        using var json = JsonDocument.Parse(output);
        var claims = json.RootElement.GetProperty("claims").EnumerateArray()
            .Select(c => (Chapter: c.GetProperty("chapter").GetString(), Text: c.GetProperty("claim").GetString()!, Ok: c.GetProperty("ok").GetBoolean(),
                Detail: c.TryGetProperty("detail", out var d) ? d.GetString() : null))
            .ToList();
        Assert.All(claims, c => Assert.True(c.Ok, $"{c.Text}: {c.Detail}"));
        Assert.True(code == ExitCodes.Ok, error);
        Assert.All(claims, c => Assert.Equal("trust-center", c.Chapter));
        foreach (var expected in new[]
        {
            "the laptop is restricted, for its client: \"client 2.0.3 is below the minimum 2.1.0\"",
            "its send is refused with the typed error device-restricted (exit 120)",
            "the restricted laptop still receives (its mailbox is untouched), and so does the phone",
            "2.2.0 is not, and only because it requires a compliant device (require_trust)",
            "the laptop reports client 2.1.0 and the relay finds it compliant",
            "its send goes through and Bob reads it",
            "the laptop's own page shows it restricted, with the reason",
            "the organisation console lists the laptop restricted, with the reason",
            "the laptop's own page shows it compliant, running 2.1.0",
            "the organisation console lists the laptop compliant",
        })
        {
            Assert.Contains(expected, claims.Select(c => c.Text));
        }
    }
}
