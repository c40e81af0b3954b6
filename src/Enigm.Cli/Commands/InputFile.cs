using Enigm.Crypto.Errors;

namespace Enigm.Cli.Commands;

/// <summary>
/// Reads an untrusted input file named on the command line with a hard size limit. The limit is
/// enforced on the bytes actually read, not on the size the file system reports: a device such as
/// <c>/dev/zero</c> or a FIFO reports 0 bytes and never ends.
/// </summary>
internal static class InputFile
{
    public static byte[] Read(string path, long maxBytes, Func<string, Exception> tooLarge)
    {
        if (Directory.Exists(path)) throw new MalformedInputException($"{path} is a folder, not a file.");
        if (!File.Exists(path)) throw new MalformedInputException($"{path} does not exist.");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            if (stream.CanSeek && stream.Length > maxBytes) throw tooLarge(path);
            using var copy = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, maxBytes + 1 - copy.Length))) > 0)
            {
                copy.Write(buffer, 0, read);
                if (copy.Length > maxBytes) throw tooLarge(path);
            }

            return copy.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MalformedInputException($"Cannot read {path}: {e.Message}", e);
        }
    }
}
