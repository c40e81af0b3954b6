using System.Security.Cryptography;

namespace Enigm.Crypto.Secrets;

/// <summary>
/// Secret key material in a pinned buffer (the GC never copies it) that is zeroed on dispose.
/// <see cref="ToString"/> reports only the length.
/// </summary>
public sealed class SecretBytes : IDisposable
{
    private readonly byte[] _buffer;
    private bool _disposed;

    public SecretBytes(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _buffer = GC.AllocateArray<byte>(length, pinned: true);
    }

    /// <summary>Copies <paramref name="source"/>; the caller remains responsible for zeroing its own copy.</summary>
    public static SecretBytes CopyFrom(ReadOnlySpan<byte> source)
    {
        var secret = new SecretBytes(source.Length);
        source.CopyTo(secret._buffer);
        return secret;
    }

    /// <summary>Takes a copy of <paramref name="source"/> and zeroes the source array.</summary>
    public static SecretBytes TakeOwnership(byte[] source)
    {
        var secret = CopyFrom(source);
        CryptographicOperations.ZeroMemory(source);
        return secret;
    }

    public int Length => _buffer.Length;

    public ReadOnlySpan<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _buffer;
        }
    }

    /// <summary>Writable view, for code that fills the buffer in place (providers, key stores).</summary>
    public Span<byte> WritableSpan
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _buffer;
        }
    }

    /// <summary>An unpinned copy for APIs that only take arrays; the caller must zero it.</summary>
    public byte[] ToArrayUnsafe() => Span.ToArray();

    /// <summary>Constant-time equality.</summary>
    public bool FixedTimeEquals(ReadOnlySpan<byte> other) =>
        CryptographicOperations.FixedTimeEquals(Span, other);

    public void Dispose()
    {
        if (_disposed) return;
        CryptographicOperations.ZeroMemory(_buffer);
        _disposed = true;
    }

    public override string ToString() => $"SecretBytes({_buffer.Length} bytes, redacted)";
}
