using System.Security.Cryptography;
using Enigm.Ota.Errors;

namespace Enigm.Ota.Client;

/// <summary>
/// The device's persisted trusted metadata (TUF 5.3.7, 5.4.5, 5.5.7, 5.6.6): one file per role in a
/// local folder, each replaced atomically (temporary file, flush, rename), so that an update cycle
/// after a restart starts from the newest metadata it ever trusted and detects a rollback.
/// Role names of delegated roles are escaped into safe file names.
/// </summary>
public sealed class TrustedMetadataStore
{
    /// <summary>Largest persisted file read back (the largest metadata the updater accepts).</summary>
    public const int MaxFileBytes = TrustedMetadataSet.MaxMetadataBytes;

    public TrustedMetadataStore(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    /// <summary>True once a trusted root was stored (the device is bootstrapped).</summary>
    public bool HasRoot => File.Exists(PathOf("root"));

    /// <summary>The stored metadata of <paramref name="role"/>, or null if none is stored.</summary>
    public byte[]? Load(string role)
    {
        var path = PathOf(role);
        try
        {
            if (!File.Exists(path)) return null;
            using var file = File.OpenRead(path);
            if (file.Length > MaxFileBytes) throw new RepositoryException($"Stored {role} metadata is larger than {MaxFileBytes} bytes.");
            return LengthLimitedStream.ReadAll(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepositoryException($"Cannot read stored {role} metadata: {e.Message}", e);
        }
    }

    /// <summary>Replaces the stored metadata of <paramref name="role"/> atomically.</summary>
    public void Save(string role, ReadOnlySpan<byte> bytes)
    {
        var path = PathOf(role);
        var temp = Path.Combine(Directory, $".{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new RepositoryException($"Cannot store {role} metadata in {Directory}: {e.Message}", e);
        }
    }

    /// <summary>Removes the stored metadata of <paramref name="role"/> (TUF 5.3.11 after a key rotation).</summary>
    public void Delete(string role)
    {
        try
        {
            File.Delete(PathOf(role));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepositoryException($"Cannot delete stored {role} metadata: {e.Message}", e);
        }
    }

    private string PathOf(string role)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        // Delegated role names are chosen by the repository: escape everything but a safe alphabet.
        var safe = string.Concat(role.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c.ToString() : $"%{(int)c:X2}"));
        return Path.Combine(Directory, safe + ".json");
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a stale temporary file does not affect trust.
        }
    }
}
