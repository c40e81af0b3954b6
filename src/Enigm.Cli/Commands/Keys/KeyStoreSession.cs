using System.Text;
using Enigm.Crypto.Secrets;
using Enigm.Keys;
using Enigm.Keys.Errors;
using Enigm.Keys.Protection;
using Enigm.Keys.Storage;

namespace Enigm.Cli.Commands.Keys;

/// <summary>
/// Where the CLI's key store lives (<c>--home</c>, else <c>ENIGM_HOME</c>, else <c>~/.enigm</c>) and how
/// it is unlocked (passphrase from <c>ENIGM_PASSPHRASE</c> or a prompt without echo; TPM through
/// <c>ENIGM_TPM_TCTI</c>).
/// </summary>
public static class KeyStoreSession
{
    public static string ResolveHome(string? home) =>
        !string.IsNullOrEmpty(home) ? home
        : Environment.GetEnvironmentVariable("ENIGM_HOME") is { Length: > 0 } fromEnvironment ? fromEnvironment
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".enigm");

    /// <summary>The store file in the home; a home that is a file, a device or under a file is <see cref="KeyStoreException"/> (exit 26).</summary>
    public static string StorePath(string? home)
    {
        var folder = ResolveHome(home);
        KeyStoreHome.Validate(folder);
        return Path.Combine(folder, KeyStoreFile.FileName);
    }

    /// <summary>Opens and unlocks the store; Ctrl-C during Argon2id stops at once (exit 130).</summary>
    public static KeyRing Open(string? home) =>
        KeyRing.Open(StorePath(home), d => ProtectorRegistry.ForDescriptor(d, ReadPassphrase, Environment.GetEnvironmentVariable("ENIGM_TPM_TCTI"), Interruption.Token), Options(home));

    /// <summary>Creates the store; refuses an unusable home or an existing store before the protector runs.</summary>
    public static KeyRing Create(string? home, IKeyProtector protector)
    {
        var path = StorePath(home);
        SqliteKeyStore.CheckCanCreate(path);
        return KeyRing.Create(path, protector, Options(home));
    }

    /// <summary>The cancellation a new protector observes (Ctrl-C, SIGTERM).</summary>
    public static CancellationToken Cancellation => Interruption.Token;

    public static KeyRingOptions Options(string? home) => new();

    /// <summary>The passphrase as UTF-8 in a pinned buffer: from ENIGM_PASSPHRASE, else typed without echo.</summary>
    public static SecretBytes ReadPassphrase()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("ENIGM_PASSPHRASE");
        if (fromEnvironment is not null) return SecretBytes.TakeOwnership(Encoding.UTF8.GetBytes(fromEnvironment));
        if (Console.IsInputRedirected)
            throw new ProtectorUnavailableException("passphrase", "no terminal to prompt on; set ENIGM_PASSPHRASE");

        Console.Error.Write("Key store passphrase: ");
        var typed = new List<char>();
        try
        {
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter) break;
                if (key.Key == ConsoleKey.Backspace)
                {
                    if (typed.Count > 0) typed.RemoveAt(typed.Count - 1);
                    continue;
                }

                typed.Add(key.KeyChar);
            }

            Console.Error.WriteLine();
            var bytes = Encoding.UTF8.GetBytes(typed.ToArray());
            return SecretBytes.TakeOwnership(bytes);
        }
        finally
        {
            typed.Clear();
        }
    }
}
