namespace Enigm.Keys.Protection;

/// <summary>
/// A temporary directory only the current user can enter (0700), for files handed to tpm2-tools. On
/// dispose every file is overwritten with zeros before it is deleted, then the directory is removed.
/// </summary>
internal sealed class PrivateWorkDirectory : IDisposable
{
    private PrivateWorkDirectory(string path) => Path = path;

    public string Path { get; }

    public static PrivateWorkDirectory Create()
    {
        // CreateTempSubdirectory makes the directory with mode 0700 on Unix; set it again to be explicit.
        var directory = Directory.CreateTempSubdirectory("enigm-tpm-");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new PrivateWorkDirectory(directory.FullName);
    }

    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (!Directory.Exists(Path)) return;
        foreach (var file in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories))
        {
            try
            {
                using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.None))
                {
                    stream.Write(new byte[stream.Length]);
                    stream.Flush(flushToDisk: true);
                }

                File.Delete(file);
            }
            catch (IOException)
            {
                // Best effort: the directory removal below still runs.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
