namespace Enigm.Server.Console;

/// <summary>The organisation console's pages, on the admin listener only (docs/trust-center.md, "Organisation console").</summary>
public static class ConsoleRoutes
{
    public const string Home = "/console";
    public const string Login = "/console/login";
    public const string Logout = "/console/logout";
    public const string Action = "/console/actions/{name}";
    /// <summary>The policy editor's submit: answers the unsigned policy to sign offline; changes nothing.</summary>
    public const string PolicyDraft = "/console/drafts/policy";

    /// <summary>A restrict, lift or revoke button: answers the unsigned action to sign offline; changes nothing.</summary>
    public const string ActionDraft = "/console/drafts/action";

    /// <summary>An unsigned document as a file download (the same document, checked, with a file name).</summary>
    public const string Download = "/console/drafts/download";

    public const string Style = "/console/static/console.css";
    public const string Icon = "/console/static/icon.svg";
}
