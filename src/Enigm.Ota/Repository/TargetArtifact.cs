using System.Security.Cryptography;
using Enigm.Crypto.Errors;

namespace Enigm.Ota.Repository;

/// <summary>
/// A target's path as clients request it, checked before it becomes a file name: forward-slash
/// separated, no empty, <c>.</c> or <c>..</c> segment, no backslash or control characters (a
/// signed path must never escape the targets directory when a repository is served).
/// </summary>
public static class TargetPath
{
    public const int MaxLength = 1024;

    public static string Validate(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length is 0 or > MaxLength) throw new MalformedInputException($"Target path must be 1..{MaxLength} characters.");
        if (path.Any(c => char.IsControl(c) || c == '\\' || c == ':'))
            throw new MalformedInputException($"Target path \"{path}\" contains a backslash, colon or control character.");
        foreach (var segment in path.Split('/'))
            if (segment is "" or "." or "..")
                throw new MalformedInputException($"Target path \"{path}\" has an empty, . or .. segment.");
        return path;
    }
}

/// <summary>The length and digests TUF 4.5 records for a target file (sha256 and sha512).</summary>
internal static class TargetArtifact
{
    public static (long Length, Dictionary<string, string> Hashes) Measure(string file)
    {
        using var stream = File.OpenRead(file);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        var buffer = new byte[81920];
        long length = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            sha256.AppendData(buffer, 0, read);
            sha512.AppendData(buffer, 0, read);
            length += read;
        }

        return (length, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["sha256"] = Convert.ToHexStringLower(sha256.GetHashAndReset()),
            ["sha512"] = Convert.ToHexStringLower(sha512.GetHashAndReset()),
        });
    }
}
