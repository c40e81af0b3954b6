using Enigm.Cli.Output;
using Enigm.Trust.Enrollment;

namespace Enigm.Cli.Commands.Device;

/// <summary>
/// Shows a link code or short authentication string and asks whether both devices show the same SAS. The answer is
/// read from standard input (a terminal or a pipe): the digits the other device shows (spaces ignored) or "yes";
/// anything else, or no input at all, is "no" and the link is refused (exit 47). <c>--yes</c> skips the question
/// for scripts that compare the codes themselves. With <c>--json</c> these lines go to stderr, so stdout keeps its
/// one document.
/// </summary>
internal static class SasPrompt
{
    public static void Show(CliContext cli, Narrator n, string text)
    {
        var writer = n.Json ? cli.Error : cli.Output;
        writer.WriteLine($"     {text}");
        writer.Flush();
    }

    public static void ShowSas(CliContext cli, Narrator n, ShortAuthenticationString sas)
    {
        Show(cli, n, $"SAS: {Format(sas)}");
        Show(cli, n, $"     {string.Join("  ", sas.Emoji.Select(e => $"{e.Symbol} {e.Name}"))}");
    }

    /// <summary>"123 456": how both sides print the digits.</summary>
    public static string Format(ShortAuthenticationString sas) => $"{sas.Digits[..3]} {sas.Digits[3..]}";

    public static bool Confirm(CliContext cli, Narrator n, ShortAuthenticationString sas, bool yes)
    {
        if (yes) return true;
        var writer = n.Json ? cli.Error : cli.Output;
        writer.Write("     Does the other device show the same code? Type its digits or 'yes': ");
        writer.Flush();
        var answer = Console.In.ReadLine();
        writer.WriteLine();
        if (answer is null) return false;
        var compact = new string([.. answer.Where(c => !char.IsWhiteSpace(c))]);
        return compact.Equals("yes", StringComparison.OrdinalIgnoreCase)
            || compact.Equals("y", StringComparison.OrdinalIgnoreCase)
            || compact == sas.Digits;
    }
}
