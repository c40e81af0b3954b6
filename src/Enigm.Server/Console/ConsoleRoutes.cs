namespace Enigm.Server.Console;

/// <summary>The organisation console's pages, on the admin listener only (docs/trust-center.md, "Organisation console").</summary>
public static class ConsoleRoutes
{
    public const string Home = "/console";
    public const string Login = "/console/login";
    public const string Logout = "/console/logout";
    public const string Action = "/console/actions/{name}";
    public const string Style = "/console/static/console.css";
    public const string Icon = "/console/static/icon.svg";
}
