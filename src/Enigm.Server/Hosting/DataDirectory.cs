using System.Security.Cryptography;
using System.Text;

namespace Enigm.Server.Hosting;

/// <summary>
/// The relay's data folder (0700): the admin credential, the log key store and its passphrase. Secrets are created once
/// with the OS CSPRNG, written 0600 through a temporary file and a rename (no half-written credential after a crash),
/// and read back on later starts.
/// </summary>
internal static class DataDirectory
{
    public const string AdminCredentialFile = "admin-credential";
    public const string LogKeyPassphraseFile = "log-key.passphrase";
    public const string LogKeyStoreFolder = "log-key";

    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode FolderMode = FileMode | UnixFileMode.UserExecute;

    public static void Ensure(string folder)
    {
        if (File.Exists(folder)) throw new RelayConfigurationException($"The data folder {folder} is a file.");
        if (Directory.Exists(folder)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder, FolderMode);
    }

    /// <summary>The secret in <paramref name="path"/>, creating it (32 random bytes, base64url) when absent.</summary>
    public static string ReadOrCreateSecret(string path)
    {
        if (File.Exists(path))
        {
            var info = new FileInfo(path);
            if (info.Length is 0 or > 1024) throw new RelayConfigurationException($"{path} is not a relay secret file (empty or over 1 KiB).");
            var text = File.ReadAllText(path, Encoding.UTF8).Trim();
            return text.Length > 0 ? text : throw new RelayConfigurationException($"{path} is empty.");
        }

        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = System.IO.FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode;
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(Encoding.UTF8.GetBytes(secret + "\n"));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: false);
        return secret;
    }

    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>The relay cannot start with this configuration (data folder, credential file, log key store, addresses).</summary>
public sealed class RelayConfigurationException(string message, Exception? inner = null) : EnigmException("relay-configuration", message, inner);
