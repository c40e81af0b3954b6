using System.Net;
using System.Text.RegularExpressions;
using Enigm.Center;

namespace Enigm.Cli.Demo;

/// <summary>
/// The two pages of the trust-center chapter as a browser sees them: the device's Trust Security Center (opened once
/// with its one-time token URL, then by its session cookie) and the organisation console on the relay's admin listener
/// (signed in with the admin credential through its form, then by its session cookie). Returns what they show about
/// the managed devices, read from the rendered DOM.
/// </summary>
internal sealed partial class TrustCenterPages(IPageReader reader, CenterHost center, Uri adminBase, string credential)
{
    private bool _userOpened;
    private bool _signedIn;

    /// <summary>The user page: its compliance badge (<c>data-compliance</c>), the reasons and the client version it lists.</summary>
    public async Task<UserView> UserAsync(CancellationToken ct)
    {
        // The one-time token works once; afterwards the browser's session cookie opens the page, as after a reload.
        var html = await reader.OpenAsync(_userOpened ? center.BaseUrl : center.OpenUrl, ct);
        _userOpened = true;
        var state = StateAttribute().Match(html) is { Success: true } m ? m.Groups[1].Value : null;
        var reasons = Section(html, "ul", "compliance-reasons");
        var client = Section(html, "dd", "compliance-client");
        return new UserView(state, reasons, client, html.Contains("id=\"compliance-claim\" class=\"problem\"", StringComparison.Ordinal));
    }

    /// <summary>The console's row for each device id given: its state badge and reasons.</summary>
    public async Task<Dictionary<string, (string State, string Reasons)>> ConsoleAsync(IEnumerable<string> devices, CancellationToken ct)
    {
        var html = _signedIn
            ? await reader.OpenAsync(new Uri(adminBase, "/console"), ct)
            : await reader.SignInAsync(new Uri(adminBase, "/console/login"), credential, ct);
        _signedIn = true;
        var rows = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var device in devices)
        {
            var row = Regex.Match(html, $"<tr data-compliance-device=\"{Regex.Escape(WebUtility.HtmlEncode(device))}\">(.*?)</tr>", RegexOptions.Singleline, TimeSpan.FromSeconds(1));
            if (!row.Success) continue;
            rows[device] = (Text(Cell(row.Groups[1].Value, "compliance-state")), Text(Cell(row.Groups[1].Value, "compliance-reasons")));
        }

        return rows;
    }

    /// <summary>The text of an element with the given id, tags removed and entities decoded, or null when absent.</summary>
    private static string? Section(string html, string tag, string id)
    {
        var m = Regex.Match(html, $"<{tag} id=\"{id}\"[^>]*>(.*?)</{tag}>", RegexOptions.Singleline, TimeSpan.FromSeconds(1));
        return m.Success ? Text(m.Groups[1].Value) : null;
    }

    private static string Cell(string row, string cssClass)
    {
        var m = Regex.Match(row, $"<td class=\"{cssClass}\">(.*?)</td>", RegexOptions.Singleline, TimeSpan.FromSeconds(1));
        return m.Success ? m.Groups[1].Value : "";
    }

    private static string Text(string html) =>
        WhiteSpace().Replace(WebUtility.HtmlDecode(Tags().Replace(html, " ")), " ").Trim();

    [GeneratedRegex("id=\"compliance-state\"[^>]*data-compliance=\"([a-z-]+)\"")]
    private static partial Regex StateAttribute();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex("\\s+")]
    private static partial Regex WhiteSpace();

    /// <summary>What the device's own page shows about it.</summary>
    internal sealed record UserView(string? State, string? Reasons, string? ClientVersion, bool ClaimUnsupported);
}
