using System.Globalization;
using System.Text;
using System.Text.Json;
using Enigm.Crypto.Errors;

namespace Enigm.Keys.Audit;

/// <summary>
/// A JSON file copy of the audit log, for offline verification (and for the demo's "tamper with a copy").
/// Hashes are lowercase hex, keys and signatures base64, times Unix milliseconds. Reading is strict:
/// the exact property set, no duplicates, no comments, canonical hex and base64, the log's own field
/// limits, and a size ceiling; anything else is <see cref="MalformedInputException"/>. Reading checks
/// only the shape: whether the log is intact is <see cref="AuditVerifier"/>'s job.
/// </summary>
public static class AuditExport
{
    /// <summary>The value of the top-level <c>format</c> property.</summary>
    public const string FormatName = "enigm-keys/audit-export/v1";

    /// <summary>Default ceiling, in characters, for <see cref="FromJson(string)"/>.</summary>
    public const int DefaultMaxSize = 64 * 1024 * 1024;

    private const int MaxAlgorithmNameLength = 64;

    /// <summary>Larger than any public key or signature Enigm uses (SLH-DSA-SHA2-256s signatures are 29,792 bytes).</summary>
    private const int MaxBlobSize = 64 * 1024;

    private static readonly string[] EntryProperties = ["sequence", "time", "event", "keyId", "detail", "previousHash", "hash"];

    private static readonly string[] CheckpointProperties = ["sequence", "hash", "time", "signerKeyId", "signerAlgorithm", "signerPublicKey", "signature"];

    public static string ToJson(IReadOnlyList<AuditEntry> entries, IReadOnlyList<AuditCheckpoint> checkpoints)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(checkpoints);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", FormatName);
            writer.WriteStartArray("entries");
            foreach (var e in entries)
            {
                writer.WriteStartObject();
                writer.WriteNumber("sequence", e.Sequence);
                writer.WriteNumber("time", e.Time.ToUnixTimeMilliseconds());
                writer.WriteString("event", e.Event);
                if (e.KeyId is null) writer.WriteNull("keyId");
                else writer.WriteString("keyId", e.KeyId);
                writer.WriteString("detail", e.Detail);
                writer.WriteString("previousHash", Convert.ToHexStringLower(e.PreviousHash));
                writer.WriteString("hash", Convert.ToHexStringLower(e.Hash));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("checkpoints");
            foreach (var c in checkpoints)
            {
                writer.WriteStartObject();
                writer.WriteNumber("sequence", c.Sequence);
                writer.WriteString("hash", Convert.ToHexStringLower(c.Hash));
                writer.WriteNumber("time", c.Time.ToUnixTimeMilliseconds());
                writer.WriteString("signerKeyId", c.SignerKeyId);
                writer.WriteString("signerAlgorithm", c.SignerAlgorithm);
                writer.WriteString("signerPublicKey", Convert.ToBase64String(c.SignerPublicKey));
                writer.WriteString("signature", Convert.ToBase64String(c.Signature));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// Reads an export file for <see cref="FromJson(string, int)"/> without trusting its size: the length is
    /// checked before anything is read, and reading stops one byte past <paramref name="maxSize"/> (a file
    /// that grows, a pipe, a device). A missing, unreadable or oversized file is <see cref="MalformedInputException"/>.
    /// </summary>
    public static (IReadOnlyList<AuditEntry> Entries, IReadOnlyList<AuditCheckpoint> Checkpoints) ReadFile(string path, int maxSize = DefaultMaxSize)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (Directory.Exists(path)) throw new MalformedInputException($"{path} is a folder, not an audit export.");
        if (!info.Exists) throw new MalformedInputException($"{path} does not exist.");
        if (info.Length > maxSize)
            throw new MalformedInputException($"Audit export {path} has {info.Length} bytes, over the {maxSize}-byte limit.");
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            using var buffer = new MemoryStream();
            var chunk = new byte[64 * 1024];
            int read;
            while ((read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, maxSize + 1L - buffer.Length))) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > maxSize)
                    throw new MalformedInputException($"Audit export {path} is over the {maxSize}-byte limit.");
            }

            bytes = buffer.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MalformedInputException($"Cannot read {path}: {e.Message}", e);
        }

        string json;
        try
        {
            json = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new MalformedInputException($"Audit export {path} is not UTF-8.", e);
        }

        return FromJson(json, maxSize);
    }

    public static (IReadOnlyList<AuditEntry> Entries, IReadOnlyList<AuditCheckpoint> Checkpoints) FromJson(string json) =>
        FromJson(json, DefaultMaxSize);

    public static (IReadOnlyList<AuditEntry> Entries, IReadOnlyList<AuditCheckpoint> Checkpoints) FromJson(string json, int maxSize)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > maxSize)
            throw new MalformedInputException($"Audit export of {json.Length} characters exceeds the {maxSize}-character limit.");

        try
        {
            using var document = JsonDocument.Parse(StrictUtf8Bytes(json), new JsonDocumentOptions
            {
                MaxDepth = 4,
                CommentHandling = JsonCommentHandling.Disallow,
                AllowTrailingCommas = false,
            });
            var root = Properties(document.RootElement, "export", ["format", "entries", "checkpoints"]);
            if (Text(root["format"], "format", 64, allowEmpty: false) != FormatName)
                throw new MalformedInputException("Not an Enigm audit export (unknown format).");
            var entries = Array(root["entries"], "entries").Select(ReadEntry).ToList();
            var checkpoints = Array(root["checkpoints"], "checkpoints").Select(ReadCheckpoint).ToList();
            return (entries, checkpoints);
        }
        catch (JsonException e)
        {
            throw new MalformedInputException($"Audit export is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // JsonElement getters report text that cannot be transcoded (lone surrogate escapes) this way.
            throw new MalformedInputException($"Audit export holds an unreadable value: {e.Message}", e);
        }
    }

    /// <summary>The text as UTF-8; a string that is not valid UTF-16 (a lone surrogate) is malformed.</summary>
    private static byte[] StrictUtf8Bytes(string json)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetBytes(json);
        }
        catch (EncoderFallbackException e)
        {
            throw new MalformedInputException("Audit export is not valid Unicode text.", e);
        }
    }

    private static AuditEntry ReadEntry(JsonElement element)
    {
        var p = Properties(element, "entry", EntryProperties);
        var sequence = Integer(p["sequence"], "entry sequence");
        var where = $"entry {sequence.ToString(CultureInfo.InvariantCulture)}";
        var keyId = p["keyId"].ValueKind == JsonValueKind.Null ? null : Text(p["keyId"], $"{where} keyId", AuditFormat.MaxKeyIdLength, allowEmpty: false);
        var eventKind = Text(p["event"], $"{where} event", AuditFormat.MaxEventLength, allowEmpty: false);
        if (AuditFormat.EventProblem(eventKind) is { } problem)
            throw new MalformedInputException($"{where}: {problem}.");
        return new AuditEntry(
            sequence,
            Time(p["time"], where),
            eventKind,
            keyId,
            Text(p["detail"], $"{where} detail", AuditFormat.MaxDetailLength, allowEmpty: true),
            Hash(p["previousHash"], $"{where} previousHash"),
            Hash(p["hash"], $"{where} hash"));
    }

    private static AuditCheckpoint ReadCheckpoint(JsonElement element)
    {
        var p = Properties(element, "checkpoint", CheckpointProperties);
        var sequence = Integer(p["sequence"], "checkpoint sequence");
        var where = $"checkpoint {sequence.ToString(CultureInfo.InvariantCulture)}";
        return new AuditCheckpoint(
            sequence,
            Hash(p["hash"], $"{where} hash"),
            Time(p["time"], where),
            Text(p["signerKeyId"], $"{where} signerKeyId", AuditFormat.MaxKeyIdLength, allowEmpty: false),
            Text(p["signerAlgorithm"], $"{where} signerAlgorithm", MaxAlgorithmNameLength, allowEmpty: false),
            Base64(p["signerPublicKey"], $"{where} signerPublicKey"),
            Base64(p["signature"], $"{where} signature"));
    }

    /// <summary>An object with exactly <paramref name="names"/> as properties, each once.</summary>
    private static Dictionary<string, JsonElement> Properties(JsonElement element, string what, string[] names)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new MalformedInputException($"Audit export: {what} must be an object.");
        var found = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!names.Contains(property.Name, StringComparer.Ordinal))
                throw new MalformedInputException($"Audit export: unexpected property '{AuditFormat.Printable(property.Name)}' in {what}.");
            if (!found.TryAdd(property.Name, property.Value))
                throw new MalformedInputException($"Audit export: duplicate property '{property.Name}' in {what}.");
        }

        if (found.Count != names.Length)
            throw new MalformedInputException($"Audit export: {what} lacks '{names.First(n => !found.ContainsKey(n))}'.");
        return found;
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.Array
            ? element.EnumerateArray()
            : throw new MalformedInputException($"Audit export: {what} must be an array.");

    private static long Integer(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value) && IsPlainInteger(element)
            ? value
            : throw new MalformedInputException($"Audit export: {what} must be an integer.");

    /// <summary>Only the canonical spelling of an integer (no exponent, fraction, sign on zero or leading zeros).</summary>
    private static bool IsPlainInteger(JsonElement element)
    {
        var raw = element.GetRawText();
        return raw == element.GetInt64().ToString(CultureInfo.InvariantCulture);
    }

    private static DateTimeOffset Time(JsonElement element, string where)
    {
        var unixMs = Integer(element, $"{where} time");
        return unixMs >= 0 && unixMs <= AuditFormat.MaxUnixMilliseconds
            ? AuditFormat.FromUnixMilliseconds(unixMs)
            : throw new MalformedInputException($"Audit export: {where} time is out of range.");
    }

    private static string Text(JsonElement element, string what, int maxBytes, bool allowEmpty)
    {
        if (element.ValueKind != JsonValueKind.String)
            throw new MalformedInputException($"Audit export: {what} must be a string.");
        var value = element.GetString();
        return AuditFormat.TextProblem(what, value, maxBytes, allowEmpty) is { } problem
            ? throw new MalformedInputException($"Audit export: {problem}.")
            : value!;
    }

    private static byte[] Hash(JsonElement element, string what)
    {
        var hex = Text(element, what, 2 * AuditFormat.HashSize, allowEmpty: false);
        if (hex.Length != 2 * AuditFormat.HashSize || !hex.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
            throw new MalformedInputException($"Audit export: {what} must be 64 lowercase hex digits.");
        return Convert.FromHexString(hex);
    }

    private static byte[] Base64(JsonElement element, string what)
    {
        var text = Text(element, what, (MaxBlobSize + 2) / 3 * 4, allowEmpty: false);
        var buffer = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, buffer, out var written) || Convert.ToBase64String(buffer, 0, written) != text)
            throw new MalformedInputException($"Audit export: {what} is not canonical base64.");
        return buffer[..written];
    }
}
