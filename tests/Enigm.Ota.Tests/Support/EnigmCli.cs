namespace Enigm.Ota.Tests.Support;

/// <summary>Runs one <c>enigm</c> command line in process and captures its exit code and output.</summary>
internal static class EnigmCli
{
    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Enigm.Cli.Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
