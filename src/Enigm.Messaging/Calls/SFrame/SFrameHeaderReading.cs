using Enigm.Messaging.Errors;
using Enigm.Relay;

namespace Enigm.Messaging.Calls.SFrame;

/// <summary>
/// <c>SFrameHeader.Read</c>: the wire contract's <see cref="SFrameHeader.TryRead(ReadOnlySpan{byte}, out SFrameHeader, out int, out string?)"/>
/// with Enigm's typed error. The header type itself lives in Enigm.Relay so that the media relay (Enigm.Server, which
/// may not reference anything that can decrypt) reads the same bytes the same way.
/// </summary>
public static class SFrameHeaderReading
{
    extension(SFrameHeader)
    {
        /// <summary>Reads the header at the start of <paramref name="frame"/>, or throws <see cref="SFrameHeaderInvalidException"/> (RFC 9605 §4.3).</summary>
        public static SFrameHeader Read(ReadOnlySpan<byte> frame, out int headerSize) =>
            SFrameHeader.TryRead(frame, out var header, out headerSize, out var error)
                ? header
                : throw new SFrameHeaderInvalidException(error!);
    }
}
