using Enigm.Messaging.Errors;

namespace Enigm.Messaging.Calls.SFrame;

/// <summary>
/// Unprotects frames from any number of senders (RFC 9605 §4.4.4): a key per KID, each with its own replay window
/// (§9.3). Every failure is typed and leaves the receiver as it was: <see cref="SFrameHeaderInvalidException"/>
/// (unreadable header, frame shorter than a tag or over the size limit), <see cref="SFrameUnknownKeyException"/>,
/// <see cref="SFrameAuthenticationException"/> (tampered header, ciphertext, tag or metadata) and
/// <see cref="SFrameReplayException"/> (a counter already accepted, or older than the window). Not thread-safe.
/// </summary>
public sealed class SFrameReceiver(SFrameCipherSuite suite) : IDisposable
{
    private readonly Dictionary<ulong, SFrameKey> _keys = [];

    public SFrameCipherSuite Suite { get; } = suite ?? throw new ArgumentNullException(nameof(suite));

    /// <summary>The KIDs this receiver holds keys for.</summary>
    public IReadOnlyCollection<ulong> Kids => _keys.Keys;

    /// <summary>Adds (or replaces, with a fresh replay window) the decryption key of a KID (§4.4.1: decryption only).</summary>
    public void AddKey(ulong kid, ReadOnlySpan<byte> baseKey)
    {
        var key = new SFrameKey(Suite, kid, baseKey);
        if (_keys.Remove(kid, out var old)) old.Dispose();
        _keys[kid] = key;
    }

    /// <summary>Forgets a KID's key (erasing it); frames under it then fail as unknown.</summary>
    public bool RemoveKey(ulong kid)
    {
        if (!_keys.Remove(kid, out var key)) return false;
        key.Dispose();
        return true;
    }

    public bool HasKey(ulong kid) => _keys.ContainsKey(kid);

    /// <summary>The largest plaintext a frame of <paramref name="frameLength"/> bytes can hold (for sizing a buffer).</summary>
    public int MaxPlaintextSize(int frameLength) => Math.Max(0, frameLength - 1 - Suite.TagSize);

    /// <summary>
    /// Checks and decrypts <paramref name="frame"/>, writing the plaintext to <paramref name="plaintext"/>; returns
    /// the frame's header and the plaintext length. <paramref name="metadata"/> must be what the sender passed.
    /// </summary>
    public SFrameHeader Unprotect(ReadOnlySpan<byte> frame, Span<byte> plaintext, out int plaintextLength, ReadOnlySpan<byte> metadata = default)
    {
        var header = SFrameHeader.Read(frame, out var headerSize);
        if (!_keys.TryGetValue(header.Kid, out var key))
            throw new SFrameUnknownKeyException(header.Kid);

        var length = frame.Length - headerSize - Suite.TagSize;
        if (length < 0)
            throw new SFrameHeaderInvalidException($"The frame has {frame.Length - headerSize} bytes after its header; {Suite.Name} needs at least its {Suite.TagSize}-byte tag.");
        if (length > SFrameKey.MaxPlaintextSize)
            throw new SFrameHeaderInvalidException($"The frame of {frame.Length} bytes is over the {SFrameKey.MaxPlaintextSize}-byte plaintext limit.");
        if (metadata.Length > SFrameKey.MaxMetadataSize)
            throw new MessageTooLargeException(metadata.Length, SFrameKey.MaxMetadataSize);
        if (plaintext.Length < length)
            throw new ArgumentException($"The plaintext buffer has {plaintext.Length} bytes; {length} are needed.", nameof(plaintext));

        // RFC 4303 §3.4.3 order: a cheap window check first, the tag next, and the window moves only after both.
        var verdict = key.Replay.Check(header.Counter);
        if (verdict != ReplayVerdict.New)
            throw new SFrameReplayException(header.Kid, header.Counter, verdict == ReplayVerdict.Duplicate
                ? "its counter was already accepted"
                : $"its counter is more than {SFrameReplayWindow.Size} below the highest accepted one");
        if (!key.TryUnprotect(header, frame, headerSize, metadata, plaintext))
            throw new SFrameAuthenticationException(header.Kid, header.Counter);
        key.Replay.Accept(header.Counter);
        plaintextLength = length;
        return header;
    }

    /// <summary>As <see cref="Unprotect(ReadOnlySpan{byte}, Span{byte}, out int, ReadOnlySpan{byte})"/>, into a new array.</summary>
    public byte[] Unprotect(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> metadata = default)
    {
        var buffer = new byte[Math.Min(MaxPlaintextSize(frame.Length), SFrameKey.MaxPlaintextSize)];
        Unprotect(frame, buffer, out var length, metadata);
        return length == buffer.Length ? buffer : buffer[..length];
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values) key.Dispose();
        _keys.Clear();
    }

    public override string ToString() => $"SFrameReceiver({Suite}, {_keys.Count} keys, redacted)";
}
