using System.Text;

namespace Enigm.Relay;

/// <summary>The bytes a device signs to obtain a token: domain label, server id, account, device, challenge (length-prefixed).</summary>
public static class RelayAuth
{
    public static ReadOnlySpan<byte> DomainLabel => "enigm/relay-auth/v1"u8;

    public static byte[] SignedMessage(string serverId, string account, string device, ReadOnlySpan<byte> challenge)
    {
        using var buffer = new MemoryStream();
        buffer.Write(DomainLabel);
        Span<byte> length = stackalloc byte[4];
        foreach (var part in new[] { Encoding.UTF8.GetBytes(serverId), Encoding.UTF8.GetBytes(account), Encoding.UTF8.GetBytes(device), challenge.ToArray() })
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, part.Length);
            buffer.Write(length);
            buffer.Write(part);
        }

        return buffer.ToArray();
    }
}
