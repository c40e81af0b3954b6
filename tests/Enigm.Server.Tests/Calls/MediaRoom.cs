using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using Enigm.Relay;
using Enigm.Server.Tests.Http;
using Xunit;

namespace Enigm.Server.Tests.Calls;

/// <summary>Helpers for the media relay tests: rooms over HTTP and participants' sockets.</summary>
public static class MediaRoom
{
    public static string NewCallId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static Task<HttpResponseMessage> PutAsync(HttpClient owner, string call, params CallRoomParticipant[] participants) =>
        owner.PutAsJsonAsync(CallRoutes.RoomPath(call), new CallRoomRequest(participants), CallJson.Default.CallRoomRequest);

    public static async Task<ClientWebSocket> ConnectAsync(RelayFixture relay, string call, string token)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        await socket.ConnectAsync(MediaUri(relay, call), CancellationToken.None);
        return socket;
    }

    public static Uri MediaUri(RelayFixture relay, string call) =>
        new(relay.Public.BaseAddress!.ToString().Replace("http", "ws", StringComparison.Ordinal).TrimEnd('/') + CallRoutes.MediaPath(call));

    /// <summary>An SFrame-shaped frame: a well-formed header (RFC 9605 §4.3) before opaque bytes the relay cannot read.</summary>
    public static byte[] Framed(ulong kid, ulong counter, byte[] body) => [.. new SFrameHeader(kid, counter).Encode(), .. body];

    public static Task SendAsync(ClientWebSocket socket, byte[] frame) =>
        socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>The next binary frame, skipping room events.</summary>
    public static async Task<byte[]> ReceiveFrameAsync(ClientWebSocket socket, TimeSpan? wait = null)
    {
        while (true)
        {
            var (type, bytes) = await ReceiveAsync(socket, wait);
            if (type == WebSocketMessageType.Binary) return bytes;
            Assert.Equal(WebSocketMessageType.Text, type);
        }
    }

    /// <summary>The next room event, skipping media frames.</summary>
    public static async Task<CallRoomEvent> ReceiveEventAsync(ClientWebSocket socket)
    {
        while (true)
        {
            var (type, bytes) = await ReceiveAsync(socket);
            if (type == WebSocketMessageType.Text) return JsonSerializer.Deserialize(bytes, CallJson.Default.CallRoomEvent)!;
        }
    }

    /// <summary>Reads until the relay closes the socket; returns its close status.</summary>
    public static async Task<int> ReceiveCloseAsync(ClientWebSocket socket)
    {
        while (true)
        {
            var (type, _) = await ReceiveAsync(socket);
            if (type == WebSocketMessageType.Close) return (int)socket.CloseStatus!.Value;
        }
    }

    public static async Task<(WebSocketMessageType Type, byte[] Bytes)> ReceiveAsync(ClientWebSocket socket, TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[CallLimits.MaxFrameBytes * 2];
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            length += result.Count;
        }
        while (!result.EndOfMessage);
        return (result.MessageType, buffer[..length]);
    }
}
