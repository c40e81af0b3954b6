namespace Enigm.Center.Pages;

/// <summary>The page frame: language, title, the style sheet and script from the page itself, a skip link, landmarks.</summary>
public static class Layout
{
    public static string Page(string title, string body, string? csrf, string? subtitle = null) =>
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">" +
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
        $"<title>{Html.E(title)} — Enigm Trust Security Center</title>" +
        "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\"><link rel=\"stylesheet\" href=\"/static/center.css\"><script src=\"/static/center.js\" defer></script></head><body>" +
        "<a class=\"skip\" href=\"#main\">Skip to content</a>" +
        "<header><p class=\"brand\"><a href=\"/\">Enigm Trust Security Center</a></p>" +
        (subtitle is null ? "" : $"<p class=\"who\">{Html.E(subtitle)}</p>") + "</header>" +
        $"<main id=\"main\" tabindex=\"-1\"><h1>{Html.E(title)}</h1>{body}</main>" +
        (csrf is null ? "" : "<footer><p>Served on loopback for this device only. Every action asks for confirmation.</p></footer>") +
        "</body></html>";
}
