using Enigm.Messaging.Errors;

namespace Enigm.Messaging.Calls.SFrame;

/// <summary>
/// Protects the frames of one media sender under one KID (RFC 9605 §4.4.3). The counter starts at 0 and grows by
/// one per frame, so no (KID, CTR) pair is ever used twice (§4.3, §9.1); the base key is used for encryption
/// only (§4.4.1). Not thread-safe: one sender per outgoing stream. Dispose erases the derived key and salt.
/// </summary>
public sealed class SFrameSender : IDisposable
{
    private readonly SFrameKey _key;
    private bool _exhausted;

    /// <param name="baseKey">The sender's base key for this KID (a call derives it per sender and epoch: docs/calls.md).</param>
    public SFrameSender(SFrameCipherSuite suite, ulong kid, ReadOnlySpan<byte> baseKey)
    {
        ArgumentNullException.ThrowIfNull(suite);
        _key = new SFrameKey(suite, kid, baseKey);
    }

    public SFrameCipherSuite Suite => _key.Suite;

    public ulong Kid => _key.Kid;

    /// <summary>The counter the next frame will carry.</summary>
    public ulong NextCounter { get; private set; }

    /// <summary>The size of the next frame for a plaintext of <paramref name="plaintextLength"/> bytes.</summary>
    public int FrameSize(int plaintextLength) =>
        new SFrameHeader(Kid, NextCounter).EncodedSize + plaintextLength + Suite.TagSize;

    /// <summary>
    /// Writes header ‖ ciphertext ‖ tag into <paramref name="frame"/> (at least <see cref="FrameSize"/> bytes) and
    /// returns its length. <paramref name="metadata"/> is authenticated, not sent (§9.4): the receiver must pass
    /// the same bytes.
    /// </summary>
    public int Protect(ReadOnlySpan<byte> plaintext, Span<byte> frame, ReadOnlySpan<byte> metadata = default)
    {
        // §7.4: never encrypt twice under one key and nonce; past 2^64 - 1 frames the key must change.
        if (_exhausted)
            throw new CallStateException($"The counter of KID {Kid} is exhausted; the call must move to a new epoch.");
        var size = _key.Protect(NextCounter, plaintext, metadata, frame);
        if (NextCounter == ulong.MaxValue) _exhausted = true;
        else NextCounter++;
        return size;
    }

    /// <summary>As <see cref="Protect(ReadOnlySpan{byte}, Span{byte}, ReadOnlySpan{byte})"/>, into a new array.</summary>
    public byte[] Protect(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> metadata = default)
    {
        SFrameKey.CheckSizes(plaintext.Length, metadata.Length);
        var frame = new byte[FrameSize(plaintext.Length)];
        Protect(plaintext, frame, metadata);
        return frame;
    }

    public void Dispose() => _key.Dispose();

    public override string ToString() => $"SFrameSender({Suite}, KID {Kid}, redacted)";
}
