using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// The versioned format header in both forms: the 6-byte binary header (<c>FormatHeader.Read(span, …)</c>)
/// and the three CBOR items (<c>FormatHeader.Read(CborReader, …)</c>).
/// </summary>
internal static class HeaderTargets
{
    private static readonly ObjectType[] Types = Enum.GetValues<ObjectType>();

    /// <summary>Suite 1 only: an accepted suite-2 header must be refused under it (policy is applied).</summary>
    private static readonly SuitePolicy Suite1Only = SuitePolicy.Default.With(SuiteRegistry.Suite2.Id, SuiteStatus.Refused);

    public static FuzzTarget Binary { get; } = new(
        "header",
        "Binary FormatHeader.Read against every object type; accepted headers re-encode to the same 6 bytes.",
        static () => { },
        RunBinary,
        BinarySeeds);

    public static FuzzTarget Cbor { get; } = new(
        "header-cbor",
        "CBOR [version, suite, type] read with FormatHeader.Read(CborReader) in canonical mode; accepted headers re-encode identically.",
        static () => { },
        RunCbor,
        CborSeeds);

    private static void RunBinary(ReadOnlySpan<byte> span)
    {
        var input = span.ToArray();
        EnigmException? last = null;
        var accepted = 0;
        foreach (var type in Types)
        {
            try
            {
                var header = FormatHeader.Read(input, type, SuitePolicy.Default);
                accepted++;
                FuzzInvariantException.Check(header.Type == type, $"header read as {type} reports type {header.Type}");
                FuzzInvariantException.Check(
                    header.ToBytes().AsSpan().SequenceEqual(input.AsSpan(0, FormatHeader.BinarySize)),
                    "binary header does not re-encode to its input");
                CheckPolicyApplied(header, () => FormatHeader.Read(input, type, Suite1Only));
            }
            catch (EnigmException e)
            {
                last = e;
            }
        }

        // The type byte is part of the header, so at most one expected type can match.
        FuzzInvariantException.Check(accepted <= 1, $"binary header accepted as {accepted} different object types");
        if (accepted == 0) throw last!;
    }

    private static void RunCbor(ReadOnlySpan<byte> input)
    {
        var data = input.ToArray();
        EnigmException? last = null;
        var accepted = 0;
        foreach (var type in Types)
        {
            try
            {
                var header = DecodeCbor(data, type, SuitePolicy.Default);
                accepted++;
                FuzzInvariantException.Check(EncodeCbor(header).AsSpan().SequenceEqual(data), "CBOR header does not re-encode to its input");
                CheckPolicyApplied(header, () => DecodeCbor(data, type, Suite1Only));
            }
            catch (EnigmException e)
            {
                last = e;
            }
        }

        FuzzInvariantException.Check(accepted <= 1, $"CBOR header accepted as {accepted} different object types");
        if (accepted == 0) throw last!;
    }

    private static void CheckPolicyApplied(FormatHeader header, Func<FormatHeader> readUnderSuite1Only)
    {
        if (header.SuiteId != SuiteRegistry.Suite2.Id) return;
        try
        {
            readUnderSuite1Only();
        }
        catch (SuiteRefusedException)
        {
            return;
        }

        throw new FuzzInvariantException("a suite-2 header was accepted by a policy that refuses suite 2");
    }

    private static FormatHeader DecodeCbor(byte[] data, ObjectType type, SuitePolicy policy) =>
        CanonicalCbor.Decode(data, 64, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, 3);
            var header = FormatHeader.Read(reader, type, policy);
            reader.ReadEndArray();
            return header;
        });

    private static byte[] EncodeCbor(FormatHeader header)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(3);
        header.WriteTo(writer);
        writer.WriteEndArray();
        return writer.Encode();
    }

    private static IEnumerable<FormatHeader> SeedHeaders()
    {
        foreach (var suite in SuiteRegistry.All)
        {
            foreach (var type in Types)
                yield return FormatHeader.For(suite, type);
        }

        // Near misses: unknown suite, unsupported version, unknown type.
        yield return new FormatHeader(FormatHeader.CurrentVersion, 3, ObjectType.PublicKey);
        yield return new FormatHeader(2, SuiteRegistry.Suite1.Id, ObjectType.Signature);
        yield return new FormatHeader(FormatHeader.CurrentVersion, SuiteRegistry.Suite1.Id, (ObjectType)200);
    }

    private static IEnumerable<FuzzSeed> BinarySeeds() =>
        SeedHeaders().Select(h => new FuzzSeed($"v{h.Version}-suite{h.SuiteId}-type{(byte)h.Type}", h.ToBytes()));

    private static IEnumerable<FuzzSeed> CborSeeds() =>
        SeedHeaders().Select(h => new FuzzSeed($"v{h.Version}-suite{h.SuiteId}-type{(byte)h.Type}", EncodeCbor(h)));
}
