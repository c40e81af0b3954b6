using System.Collections.Concurrent;
using System.Security.Cryptography;
using Enigm.Ota.Errors;

namespace Enigm.Ota.Client;

/// <summary>
/// TUF 5.7.3 for target files of any size: streams the data once, checking the length as it goes
/// (endless data) and computing SHA-256 and SHA-512 over the same buffers in parallel (SHA-512 and
/// the copy on the calling thread, SHA-256 on a worker thread), then compares both digests with the
/// trusted ones. A read-ahead ring of buffers lets reading overlap with hashing.
/// </summary>
public static class ArtifactVerifier
{
    private const int BufferSize = 1024 * 1024;
    private const int Buffers = 4;

    /// <summary>
    /// Reads <paramref name="source"/> to its end, copying to <paramref name="destination"/> when given.
    /// Throws <see cref="LengthExceededException"/> past <paramref name="expectedLength"/>,
    /// <see cref="HashMismatchException"/> for a short file or a digest that differs. Reports the
    /// bytes read so far to <paramref name="progress"/>.
    /// </summary>
    public static void Verify(Stream source, Stream? destination, string name, long expectedLength,
        IReadOnlyDictionary<string, string> hashes, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(hashes);
        if (!hashes.ContainsKey("sha256") && !hashes.ContainsKey("sha512"))
            throw new Enigm.Crypto.Errors.MalformedInputException($"{name}: no supported hash algorithm among {string.Join(", ", hashes.Keys)}.");

        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        using var free = new BlockingCollection<byte[]>(Buffers);
        using var work = new BlockingCollection<(byte[] Buffer, int Count)>(Buffers);
        for (var i = 0; i < Buffers; i++) free.Add(new byte[BufferSize]);

        var worker = new Thread(() =>
        {
            foreach (var (buffer, count) in work.GetConsumingEnumerable())
            {
                sha256.AppendData(buffer, 0, count);
                free.Add(buffer);
            }
        })
        { IsBackground = true, Name = "enigm-sha256" };
        worker.Start();

        long total = 0;
        try
        {
            while (true)
            {
                var buffer = free.Take();
                var count = Fill(source, buffer);
                if (count == 0)
                {
                    free.Add(buffer);
                    break;
                }

                total += count;
                if (total > expectedLength) throw new LengthExceededException(name, expectedLength);
                work.Add((buffer, count));
                sha512.AppendData(buffer, 0, count);
                destination?.Write(buffer, 0, count);
                progress?.Report(total);
            }
        }
        finally
        {
            work.CompleteAdding();
            worker.Join();
        }

        // A short file cannot match the trusted hashes; report it as the mismatch it is.
        if (total != expectedLength) throw new HashMismatchException(name, $"length ({total} of {expectedLength} bytes)");
        Compare(name, "sha256", sha256.GetHashAndReset(), hashes);
        Compare(name, "sha512", sha512.GetHashAndReset(), hashes);
    }

    private static int Fill(Stream source, byte[] buffer)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var n = source.Read(buffer, filled, buffer.Length - filled);
            if (n == 0) break;
            filled += n;
        }

        return filled;
    }

    private static void Compare(string name, string algorithm, byte[] actual, IReadOnlyDictionary<string, string> hashes)
    {
        if (!hashes.TryGetValue(algorithm, out var expectedHex)) return;
        if (!CryptographicOperations.FixedTimeEquals(actual, Convert.FromHexString(expectedHex)))
            throw new HashMismatchException(name, algorithm);
    }
}
