using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;

namespace Enigm.Keys.Protection;

/// <summary>
/// Parameters of a TPM descriptor, deterministic CBOR:
/// <c>[version, primary template, TPM2B_PUBLIC, TPM2B_PRIVATE, null | [bank, [pcr…]]]</c>.
/// The blobs are the sealed data object exactly as tpm2_create wrote them; its private part is encrypted
/// by the TPM under the storage primary key, so nothing here is secret.
/// </summary>
internal sealed record TpmDescriptor(string PrimaryTemplate, byte[] Public, byte[] Private, TpmPcrSelection? Pcrs)
{
    public const int Version = 1;

    /// <summary>
    /// tpm2_createprimary's default storage-key template in tpm2-tools 5 (RSA-2048, AES-128-CFB), passed
    /// explicitly so that a later change of the tools' default cannot change the primary key.
    /// </summary>
    public const string DefaultTemplate = "rsa2048:null:aes128cfb";

    /// <summary>Generous bounds: a sealed object's TPM2B_PUBLIC and TPM2B_PRIVATE are a few hundred bytes.</summary>
    public const int MaxBlobSize = 4096;

    public const int MaxEncodedSize = 3 * MaxBlobSize;

    private static readonly string[] KnownTemplates = [DefaultTemplate];

    public byte[] Encode()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(5);
        writer.WriteInt32(Version);
        writer.WriteTextString(PrimaryTemplate);
        writer.WriteByteString(Public);
        writer.WriteByteString(Private);
        if (Pcrs is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteStartArray(2);
            writer.WriteTextString(Pcrs.Bank);
            writer.WriteStartArray(Pcrs.Pcrs.Count);
            foreach (var pcr in Pcrs.Pcrs) writer.WriteInt32(pcr);
            writer.WriteEndArray();
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        return writer.Encode();
    }

    public static TpmDescriptor Decode(ReadOnlyMemory<byte> encoded) =>
        CanonicalCbor.Decode(encoded, MaxEncodedSize, Read);

    private static TpmDescriptor Read(CborReader reader)
    {
        CanonicalCbor.ReadArrayStart(reader, 5);
        var version = CanonicalCbor.ReadUInt(reader, int.MaxValue);
        if (version != Version)
            throw new MalformedInputException($"TPM descriptor version {version} is not supported.");
        var template = CanonicalCbor.ReadText(reader, 64);
        if (!KnownTemplates.Contains(template))
            throw new MalformedInputException("TPM descriptor names an unknown primary key template.");
        var publicBlob = ReadBlob(reader);
        var privateBlob = ReadBlob(reader);
        var pcrs = ReadPcrs(reader);
        reader.ReadEndArray();
        return new TpmDescriptor(template, publicBlob, privateBlob, pcrs);
    }

    private static byte[] ReadBlob(CborReader reader)
    {
        var blob = CanonicalCbor.ReadBytes(reader, MaxBlobSize);
        return blob.Length > 0 ? blob : throw new MalformedInputException("TPM descriptor holds an empty sealed blob.");
    }

    private static TpmPcrSelection? ReadPcrs(CborReader reader)
    {
        if (reader.PeekState() == CborReaderState.Null)
        {
            reader.ReadNull();
            return null;
        }

        CanonicalCbor.ReadArrayStart(reader, 2);
        var bank = CanonicalCbor.ReadText(reader, 16);
        var count = reader.ReadStartArray() ?? throw new MalformedInputException("Indefinite PCR list.");
        if (count is < 1 or > TpmPcrSelection.MaxPcrIndex + 1)
            throw new MalformedInputException("TPM descriptor PCR list has an impossible length.");
        var pcrs = new int[count];
        for (var i = 0; i < count; i++)
            pcrs[i] = (int)CanonicalCbor.ReadUInt(reader, TpmPcrSelection.MaxPcrIndex);
        reader.ReadEndArray();
        reader.ReadEndArray();
        if (!pcrs.SequenceEqual(pcrs.Distinct().Order()))
            throw new MalformedInputException("TPM descriptor PCR list is not sorted and distinct.");
        try
        {
            return new TpmPcrSelection(bank, pcrs);
        }
        catch (ArgumentException e)
        {
            throw new MalformedInputException($"TPM descriptor PCR selection is invalid: {e.Message}", e);
        }
    }
}
