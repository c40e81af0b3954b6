using System.Security.Cryptography;
using Enigm.Client.Errors;
using Enigm.Client.Relay;
using Enigm.Trust.Enrollment;

namespace Enigm.Client.Linking;

/// <summary>
/// The relay's rendezvous channel between the two devices of an enrollment. The channel id is
/// SHA-256("enigm/rendezvous/v1" ‖ link code bytes) in hex: both devices know the code, the relay learns nothing of
/// its secret. Every payload is an enrollment message (already encrypted and authenticated by the enrollment channel,
/// docs/trust-verification.md "Enrollment") behind one byte naming the side that posted it, so each side reads only
/// the other's messages.
/// </summary>
internal sealed class Rendezvous(RelayClient relay, string channel, byte side)
{
    public const byte NewDeviceSide = 1;
    public const byte ExistingDeviceSide = 2;
    private const int LongPollSeconds = 20;
    private long _after;

    public static string ChannelFor(LinkCode code)
    {
        var bytes = code.ToBytes();
        try
        {
            return Convert.ToHexStringLower(SHA256.HashData([.. "enigm/rendezvous/v1"u8, .. bytes]));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    public async Task SendAsync(byte[] message, CancellationToken ct) => await relay.RendezvousPostAsync(channel, [side, .. message], ct);

    /// <summary>The other side's next message, waiting up to <paramref name="timeout"/>.</summary>
    public async Task<byte[]> ReceiveAsync(TimeSpan timeout, string waitingFor, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero) throw new DeviceLinkException($"The other device did not send its {waitingFor} in time; start again with a new link code.");
            var wait = (int)Math.Clamp(Math.Ceiling(left.TotalSeconds), 1, LongPollSeconds);
            var messages = await relay.RendezvousReadAsync(channel, _after, wait, ct);
            foreach (var message in messages.Messages.OrderBy(m => m.Seq))
            {
                _after = Math.Max(_after, message.Seq);
                if (message.Payload.Length > 1 && message.Payload[0] != side) return message.Payload[1..];
            }
        }
    }
}
