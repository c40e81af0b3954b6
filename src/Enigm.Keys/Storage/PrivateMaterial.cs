using Enigm.Crypto.Secrets;

namespace Enigm.Keys.Storage;

/// <summary>
/// The plaintext that gets wrapped: one byte naming the <see cref="PrivateKeyFormat"/> (seed or
/// expanded), then the private material. Lives only in pinned, zeroed buffers.
/// </summary>
internal static class PrivateMaterial
{
    public static SecretBytes Encode(PrivateKey key)
    {
        using var material = key.ExportPrivateMaterial();
        var encoded = new SecretBytes(material.Length + 1);
        encoded.WritableSpan[0] = (byte)key.Format;
        material.Span.CopyTo(encoded.WritableSpan[1..]);
        return encoded;
    }
}
