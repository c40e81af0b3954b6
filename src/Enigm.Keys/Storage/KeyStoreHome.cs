using Enigm.Keys.Errors;

namespace Enigm.Keys.Storage;

/// <summary>
/// The folder that holds a key store (the CLI's <c>--home</c>). It must be a folder — not a file, a
/// device such as <c>/dev/null</c> or a path under a file — and Enigm creates it readable by its owner
/// only (0700), because it holds the wrapped keys and the audit log.
/// </summary>
public static class KeyStoreHome
{
    /// <summary>Mode of a home Enigm creates: owner only.</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Throws <see cref="KeyStoreException"/> unless <paramref name="home"/> is a folder or does not exist yet.</summary>
    public static void Validate(string home)
    {
        ArgumentNullException.ThrowIfNull(home);
        if (home.Length == 0 || home.Contains('\0', StringComparison.Ordinal))
            throw new KeyStoreException("The key store home is not a valid path.");
        if (Directory.Exists(home)) return;
        if (File.Exists(home))
            throw new KeyStoreException($"The key store home {home} is a file, not a folder.");
        // Not there at all: it must be creatable, so no ancestor may be a file (e.g. /dev/null/x).
        for (var parent = Path.GetDirectoryName(Path.GetFullPath(home)); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
        {
            if (Directory.Exists(parent)) return;
            if (File.Exists(parent))
                throw new KeyStoreException($"The key store home {home} lies under {parent}, which is a file, not a folder.");
        }
    }

    /// <summary>Validates <paramref name="home"/> and creates it (0700) if missing; an existing folder keeps its mode.</summary>
    public static void EnsureCreated(string home)
    {
        Validate(home);
        if (Directory.Exists(home)) return;
        try
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(home);
            else
            {
                Directory.CreateDirectory(home, FolderMode);
                // The umask can only narrow the mode, but state it exactly.
                File.SetUnixFileMode(home, FolderMode);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyStoreException($"Cannot create the key store home {home}: {e.Message}", e);
        }
    }
}
