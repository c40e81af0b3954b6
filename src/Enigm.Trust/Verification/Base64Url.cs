using Enigm.Crypto.Errors;

namespace Enigm.Trust.Verification;

/// <summary>Strict unpadded base64url (RFC 4648 section 5) for the QR and link-code text forms.</summary>
internal static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    /// <summary>Decodes, or throws <see cref="MalformedInputException"/> naming <paramref name="what"/>.</summary>
    public static byte[] Decode(ReadOnlySpan<char> text, string what)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                throw new MalformedInputException($"The {what} text is not unpadded base64url.");
        }

        // A length of 1 mod 4 cannot come from any byte string.
        if (text.Length % 4 == 1) throw new MalformedInputException($"The {what} text has an impossible length.");
        try
        {
            var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(text);
            // Non-canonical trailing bits would give two texts for one payload.
            if (!Encode(bytes).AsSpan().SequenceEqual(text))
                throw new MalformedInputException($"The {what} text is not canonical base64url.");
            return bytes;
        }
        catch (FormatException e)
        {
            throw new MalformedInputException($"The {what} text is not base64url.", e);
        }
    }
}
