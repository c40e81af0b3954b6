using System.Net.WebSockets;
using Enigm.Relay;
using Enigm.Server.Delivery;
using Enigm.Server.Http;

namespace Enigm.Server.Apis;

/// <summary>
/// Reads the client's frames on the delivery WebSocket (<see cref="StreamClientFrame"/>) and hands acks and submits to
/// <see cref="StreamSubmits"/>, which applies them without holding up the reading. Frames are read into one buffer per connection that starts at
/// <see cref="InitialBufferBytes"/> and grows only as a frame needs, up to <see cref="MaxFrameBytes"/>
/// (<see cref="RelayLimits.MaxRequestBytes"/>, the HTTP body cap), and falls back after a large frame. A frame that is
/// too large or is not a client frame cannot be answered by id: the relay sends a <see cref="StreamFrame.Problem"/>
/// (too-large / malformed-request) and closes the stream (1009 / 1007). A malformed ack closes it too, as before.
/// </summary>
public static class StreamReceiver
{
    public const int InitialBufferBytes = 16 * 1024;

    public const int MaxFrameBytes = RelayLimits.MaxRequestBytes;

    /// <summary>
    /// Parses one client frame: JSON of <see cref="StreamClientFrame"/> holding exactly one kind, an ack validated as the
    /// HTTP ack is. A submit's fields are validated when it is answered (its refusal then carries its id).
    /// </summary>
    public static StreamClientFrame Parse(ReadOnlySpan<byte> frame)
    {
        if (frame.Length > MaxFrameBytes) throw RelayProblemException.TooLarge($"a client frame is at most {MaxFrameBytes} bytes");
        var parsed = JsonBodies.Parse(frame, RelayJson.Default.StreamClientFrame);
        if ((parsed.Seqs is null) == (parsed.Submit is null)) throw RelayProblemException.Malformed("a client frame holds exactly one of seqs (an ack) or submit");
        if (parsed.Seqs is not null) RequestValidation.Check(new AckRequest(parsed.Seqs));
        return parsed;
    }

    public static async Task RunAsync(WebSocket socket, DeliveryConnection connection, StreamSubmits submits, StreamFrameSender sender, CancellationToken ct)
    {
        var buffer = new byte[InitialBufferBytes];
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length == MaxFrameBytes)
                        {
                            await RefuseAsync(sender, connection, RelayProblemException.TooLarge($"a client frame is at most {MaxFrameBytes} bytes"), WebSocketCloseStatus.MessageTooBig, "frame too large", ct);
                            return;
                        }

                        Array.Resize(ref buffer, Math.Min(MaxFrameBytes, buffer.Length * 2));
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(length), ct);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    connection.Stop(WebSocketCloseStatus.NormalClosure, "closed by client");
                    return;
                }

                StreamClientFrame frame;
                try
                {
                    frame = Parse(buffer.AsSpan(0, length));
                }
                catch (RelayProblemException problem)
                {
                    await RefuseAsync(sender, connection, problem, WebSocketCloseStatus.InvalidPayloadData, "not a client frame", ct);
                    return;
                }

                // The frame is parsed into its own objects: a grown buffer can go.
                if (buffer.Length > InitialBufferBytes) buffer = new byte[InitialBufferBytes];
                if (frame.Seqs is { } seqs) await submits.AcceptAckAsync(seqs, ct);
                else if (!connection.Stopped.IsCancellationRequested) await submits.AcceptAsync(frame.Submit!, length, ct);

                // A submit arriving once the connection is stopped (replaced, revoked, expired) is neither stored nor
                // answered: the close that follows tells the client to send it again on its next connection.
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            connection.Stop(WebSocketCloseStatus.NormalClosure, "closed");
        }
    }

    private static async Task RefuseAsync(StreamFrameSender sender, DeliveryConnection connection, RelayProblemException problem, WebSocketCloseStatus status, string reason, CancellationToken ct)
    {
        try
        {
            await sender.SendAsync(new StreamFrame(null, false, Problem: ProblemWriter.Body(problem.Status, problem.Code, problem.Message)), ct);
        }
        finally
        {
            connection.Stop(status, reason);
        }
    }
}
