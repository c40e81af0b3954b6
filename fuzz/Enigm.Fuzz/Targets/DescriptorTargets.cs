using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Keys.Protection;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// The key store's protector descriptors, decode step only (nothing is derived, unsealed or sent to a TPM):
/// <c>PassphraseDescriptor.Decode</c> (<c>[version, [m, t, p], salt, check]</c>) and
/// <c>TpmDescriptor.Decode</c> (<c>[version, template, TPM2B_PUBLIC, TPM2B_PRIVATE, null | [bank, [pcr…]]]</c>).
/// Input: the descriptor bytes. Rejections are <c>MalformedInputException</c>. Accepted input must satisfy
/// the documented shape (Argon2id bounds, 16-byte salt, exact check size; non-empty bounded blobs, sorted
/// distinct PCRs 0..23) and re-encode with the record's own <c>Encode()</c> to the input byte for byte.
/// </summary>
internal static class DescriptorTargets
{
    public static FuzzTarget Passphrase { get; } = new(
        "passphrase-descriptor",
        "PassphraseDescriptor.Decode (Argon2id costs, salt, check value); typed rejection, bounds kept, canonical re-encoding.",
        static () => _ = KeysInternals.PassphraseDescriptor,
        RunPassphrase,
        PassphraseSeeds);

    public static FuzzTarget Tpm { get; } = new(
        "tpm-descriptor",
        "TpmDescriptor.Decode (template, sealed blobs, PCR selection) without touching a TPM; typed rejection, bounds kept, canonical re-encoding.",
        static () => _ = KeysInternals.TpmDescriptor,
        RunTpm,
        TpmSeeds);

    private static int CheckSize => 12 + "enigm-keys/passphrase-check/v1"u8.Length + 16;

    private static void RunPassphrase(ReadOnlySpan<byte> input)
    {
        var codec = KeysInternals.PassphraseDescriptor;
        var descriptor = codec.Decode(input.ToArray());
        var settings = codec.Property<Argon2idSettings>(descriptor, "Settings");
        FuzzInvariantException.Check(settings.IsValid(out var reason), $"accepted unusable Argon2id costs {settings}: {reason}");
        FuzzInvariantException.Check(codec.Property<byte[]>(descriptor, "Salt").Length == 16, "accepted a salt that is not 16 bytes");
        FuzzInvariantException.Check(codec.Property<byte[]>(descriptor, "Check").Length == CheckSize, "accepted a check value of the wrong size");
        FuzzInvariantException.Check(codec.Encode(descriptor).AsSpan().SequenceEqual(input), "passphrase descriptor does not re-encode to its input");
    }

    private static void RunTpm(ReadOnlySpan<byte> input)
    {
        var codec = KeysInternals.TpmDescriptor;
        var descriptor = codec.Decode(input.ToArray());
        foreach (var blob in new[] { "Public", "Private" })
        {
            var length = codec.Property<byte[]>(descriptor, blob).Length;
            FuzzInvariantException.Check(length is > 0 and <= 4096, $"accepted a {length}-byte {blob} blob");
        }

        if (codec.Property<TpmPcrSelection?>(descriptor, "Pcrs") is { } pcrs)
        {
            FuzzInvariantException.Check(pcrs.Pcrs.Count > 0 && pcrs.Pcrs.All(p => p is >= 0 and <= TpmPcrSelection.MaxPcrIndex), $"accepted PCR selection {pcrs}");
            FuzzInvariantException.Check(pcrs.Pcrs.SequenceEqual(pcrs.Pcrs.Distinct().Order()), $"accepted unsorted PCR selection {pcrs}");
        }

        FuzzInvariantException.Check(codec.Encode(descriptor).AsSpan().SequenceEqual(input), "TPM descriptor does not re-encode to its input");
    }

    private static IEnumerable<FuzzSeed> PassphraseSeeds()
    {
        var codec = KeysInternals.PassphraseDescriptor;
        var salt = Fixtures.Pattern(16, 40);
        var check = Fixtures.Pattern(CheckSize, 41);
        foreach (var (label, settings) in new[] { ("test", new Argon2idSettings(Argon2idSettings.MinMemoryKiB, 1, 1)), ("interactive", Argon2idSettings.Interactive), ("moderate", Argon2idSettings.Moderate), ("sensitive", Argon2idSettings.Sensitive) })
            yield return new FuzzSeed(label, codec.Encode(codec.Create(settings, salt, check)));

        // Near misses, written by hand: the record refuses nothing, the decoder must.
        yield return new FuzzSeed("version-2", PassphraseBytes(2, 65536, 3, 1, salt, check));
        yield return new FuzzSeed("parallelism-4", PassphraseBytes(1, 65536, 3, 4, salt, check));
        yield return new FuzzSeed("memory-over-limit", PassphraseBytes(1, (4 * 1024 * 1024) + 1, 3, 1, salt, check));
        yield return new FuzzSeed("iterations-0", PassphraseBytes(1, 65536, 0, 1, salt, check));
        yield return new FuzzSeed("salt-15", PassphraseBytes(1, 65536, 3, 1, salt[..15], check));
        yield return new FuzzSeed("check-short", PassphraseBytes(1, 65536, 3, 1, salt, check[..^1]));
    }

    private static byte[] PassphraseBytes(int version, int memory, int iterations, int parallelism, byte[] salt, byte[] check)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(4);
        writer.WriteInt32(version);
        writer.WriteStartArray(3);
        writer.WriteInt32(memory);
        writer.WriteInt32(iterations);
        writer.WriteInt32(parallelism);
        writer.WriteEndArray();
        writer.WriteByteString(salt);
        writer.WriteByteString(check);
        writer.WriteEndArray();
        return writer.Encode();
    }

    private static IEnumerable<FuzzSeed> TpmSeeds()
    {
        var codec = KeysInternals.TpmDescriptor;
        const string template = "rsa2048:null:aes128cfb";
        var publicBlob = Fixtures.Pattern(90, 50);   // the size of a sealed object's TPM2B_PUBLIC with a policy digest
        var privateBlob = Fixtures.Pattern(160, 51);
        yield return new FuzzSeed("no-pcrs", codec.Encode(codec.Create(template, publicBlob, privateBlob, null)));
        yield return new FuzzSeed("sha256-0-7", codec.Encode(codec.Create(template, publicBlob, privateBlob, new TpmPcrSelection("sha256", [0, 7]))));
        yield return new FuzzSeed("sha1-all", codec.Encode(codec.Create(template, publicBlob, privateBlob, new TpmPcrSelection("sha1", Enumerable.Range(0, 24)))));

        yield return new FuzzSeed("unknown-template", TpmBytes(1, "ecc256:null:aes128cfb", publicBlob, privateBlob, w => w.WriteNull()));
        yield return new FuzzSeed("version-2", TpmBytes(2, template, publicBlob, privateBlob, w => w.WriteNull()));
        yield return new FuzzSeed("empty-private", TpmBytes(1, template, publicBlob, [], w => w.WriteNull()));
        yield return new FuzzSeed("unsorted-pcrs", TpmBytes(1, template, publicBlob, privateBlob, w => Pcrs(w, "sha256", 7, 0)));
        yield return new FuzzSeed("duplicate-pcrs", TpmBytes(1, template, publicBlob, privateBlob, w => Pcrs(w, "sha256", 7, 7)));
        yield return new FuzzSeed("pcr-24", TpmBytes(1, template, publicBlob, privateBlob, w => Pcrs(w, "sha256", 0, 24)));
        yield return new FuzzSeed("bank-md5", TpmBytes(1, template, publicBlob, privateBlob, w => Pcrs(w, "md5", 0)));
        yield return new FuzzSeed("no-pcr", TpmBytes(1, template, publicBlob, privateBlob, w => Pcrs(w, "sha256")));
    }

    private static byte[] TpmBytes(int version, string template, byte[] publicBlob, byte[] privateBlob, Action<CborWriter> pcrs)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(5);
        writer.WriteInt32(version);
        writer.WriteTextString(template);
        writer.WriteByteString(publicBlob);
        writer.WriteByteString(privateBlob);
        pcrs(writer);
        writer.WriteEndArray();
        return writer.Encode();
    }

    private static void Pcrs(CborWriter writer, string bank, params int[] pcrs)
    {
        writer.WriteStartArray(2);
        writer.WriteTextString(bank);
        writer.WriteStartArray(pcrs.Length);
        foreach (var pcr in pcrs) writer.WriteInt32(pcr);
        writer.WriteEndArray();
        writer.WriteEndArray();
    }
}
