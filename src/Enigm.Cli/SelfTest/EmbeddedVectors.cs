using System.Text.Json;

namespace Enigm.Cli.SelfTest;

/// <summary>
/// The self-test's vector sample: small extracts of the upstream files in ../shared/vectors, compiled
/// into this assembly under their upstream relative paths (see SelfTestVectors/README.md for what was
/// kept and tools/make-selftest-vectors.py for how).
/// </summary>
public static class EmbeddedVectors
{
    private const string Prefix = "vectors/";

    public static bool Contains(string relativePath) =>
        typeof(EmbeddedVectors).Assembly.GetManifestResourceInfo(Prefix + relativePath) is not null;

    public static JsonDocument Load(string relativePath)
    {
        using var stream = typeof(EmbeddedVectors).Assembly.GetManifestResourceStream(Prefix + relativePath)
            ?? throw new FileNotFoundException($"Self-test vector sample {relativePath} is not embedded in this build.");
        return JsonDocument.Parse(stream);
    }
}
