using Enigm.Messaging.Attachments;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// The attachment parsers: byte 0 picks <see cref="AttachmentPointerEncoding.Decode"/> (even; accepted input
/// must re-encode to the same bytes) or chunked decryption of the rest under a fixed key (odd; accepted
/// ciphertext must have the spec length and decrypt to a plaintext the fixture encrypted: anything else is a forgery). Rejections are
/// typed (<c>MalformedInputException</c>, <c>UnsupportedFormatVersionException</c>, the attachment errors).
/// </summary>
internal static class AttachmentTargets
{
    private static readonly byte[] Key = Fixtures.Pattern(32, 7);

    private static readonly int[] Plaintexts = [0, 5, ChunkedEncryption.ChunkSize];

    private static readonly Lazy<byte[][]> Ciphertexts = new(() =>
        [.. Plaintexts.Select(size =>
        {
            var output = new MemoryStream();
            ChunkedEncryption.Encrypt(Key, [], new MemoryStream(Fixtures.Pattern(size, 3)), output);
            return output.ToArray();
        })]);

    public static FuzzTarget Target { get; } = new(
        "attachment",
        "AttachmentPointer CBOR decoder (byte 0 even) and C2SP chunked decryption under a fixed key (odd); canonical round trip, no forged ciphertext.",
        static () => _ = Ciphertexts.Value,
        Run,
        Seeds);

    private static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) throw HarnessReject.Empty();
        var body = input[1..].ToArray();
        if (input[0] % 2 == 0)
        {
            var pointer = AttachmentPointerEncoding.Decode(body);
            FuzzInvariantException.Check(AttachmentPointerEncoding.Encode(pointer).AsSpan().SequenceEqual(body), "pointer does not re-encode to its input");
            return;
        }

        var plaintext = new MemoryStream();
        var length = ChunkedEncryption.Decrypt(Key, [], new MemoryStream(body), plaintext);
        // Salts are random per process, so compare what the fixture encrypted (fixed plaintexts), not bytes.
        FuzzInvariantException.Check(body.Length == ChunkedEncryption.CiphertextLength(length), "accepted a ciphertext of the wrong length");
        FuzzInvariantException.Check(
            Plaintexts.Contains((int)length) && plaintext.ToArray().AsSpan().SequenceEqual(Fixtures.Pattern((int)length, 3)),
            "accepted a ciphertext of a plaintext the fixture never encrypted (forgery)");
    }

    private static IEnumerable<FuzzSeed> Seeds()
    {
        var pointer = new AttachmentPointer(Fixtures.Pattern(32, 1), Fixtures.Pattern(32, 2), 12_345, "image/png");
        yield return new FuzzSeed("pointer", [0, .. AttachmentPointerEncoding.Encode(pointer)]);
        var ciphertexts = Ciphertexts.Value;
        for (var i = 0; i < ciphertexts.Length; i++)
            yield return new FuzzSeed($"ciphertext-{i}", [1, .. ciphertexts[i]]);
    }
}
