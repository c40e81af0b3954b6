using Enigm.Cli.Output;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;

namespace Enigm.Cli.Commands.Keys;

/// <summary>Parsing of <c>enigm keys</c> option values and input files; a bad value is a <see cref="UsageException"/>.</summary>
internal static class KeyArguments
{
    public static IKeyProtector CreateProtector(string kind, string argon, string? pcrs, Func<SecretBytes> passphrase) => kind switch
    {
        "passphrase" => new PassphraseProtector(passphrase, Argon(argon), KeyStoreSession.Cancellation),
        "tpm" => new TpmProtector(Environment.GetEnvironmentVariable("ENIGM_TPM_TCTI"), pcrs is null ? null : Pcrs(pcrs)),
        _ => throw new UsageException($"unknown protector '{kind}' (passphrase or tpm)"),
    };

    public static TimeSpan? Duration(string? text)
    {
        if (text is null) return null;
        try
        {
            return RotationPolicy.ParseDuration(text);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message, e);
        }
    }

    /// <summary>The new passphrase of <c>keys passwd</c>: from ENIGM_NEW_PASSPHRASE, else a prompt.</summary>
    public static SecretBytes NewPassphrase()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("ENIGM_NEW_PASSPHRASE");
        return fromEnvironment is not null
            ? SecretBytes.TakeOwnership(System.Text.Encoding.UTF8.GetBytes(fromEnvironment))
            : KeyStoreSession.ReadPassphrase();
    }

    /// <summary>A grace window for rotate/replace: parsed, and within <see cref="RotationPolicy.MaxGrace"/>.</summary>
    public static TimeSpan? Grace(string? text)
    {
        var grace = Duration(text);
        if (grace > RotationPolicy.MaxGrace)
            throw new UsageException($"--grace {text} is longer than the {RotationPolicy.FormatDuration(RotationPolicy.MaxGrace)} maximum");
        return grace;
    }

    /// <summary>
    /// Reads an untrusted input file with a size limit (statements and keys are small). The limit holds
    /// for files that report no size too (a pipe, <c>/dev/zero</c>): reading stops one byte past it.
    /// </summary>
    public static byte[] ReadBounded(string path)
    {
        var limit = CryptoObject.MaxEncodedSize * 4;
        if (Directory.Exists(path)) throw new MalformedInputException($"{path} is a folder, not a file.");
        var info = new FileInfo(path);
        if (!info.Exists) throw new MalformedInputException($"{path} does not exist.");
        if (info.Length > limit) throw new MalformedInputException($"{path} is larger than any valid input.");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
            var buffer = new byte[limit + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0) total += read;
            if (total > limit) throw new MalformedInputException($"{path} is larger than any valid input.");
            return buffer[..total];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MalformedInputException($"Cannot read {path}: {e.Message}", e);
        }
    }

    private static Argon2idSettings Argon(string name) => name switch
    {
        "interactive" => Argon2idSettings.Interactive,
        "moderate" => Argon2idSettings.Moderate,
        "sensitive" => Argon2idSettings.Sensitive,
        _ => throw new UsageException($"unknown Argon2id preset '{name}' (interactive, moderate, sensitive)"),
    };

    private static TpmPcrSelection Pcrs(string text)
    {
        try
        {
            return TpmPcrSelection.Parse(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new UsageException($"invalid PCR selection '{text}': {e.Message}", e);
        }
    }
}
