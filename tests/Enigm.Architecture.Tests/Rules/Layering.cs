namespace Enigm.Architecture.Tests.Rules;

/// <summary>
/// The allowed layering of the shipped projects (docs/architecture.md, "Parts and arrows"): a project may
/// reference only projects of a strictly lower layer, so dependencies point downwards and two parts of one
/// layer stay independent (Trust does not use Keys; Ota and Messaging do not use each other). On top of
/// the layers, <see cref="ForbiddenEdges"/> lists downward references that are still not allowed.
/// </summary>
public sealed record Layering(IReadOnlyDictionary<string, int> LayerOf, IReadOnlySet<(string From, string To)> ForbiddenEdges)
{
    /// <summary>Enigm's layering. Client and Server are listed before they exist so their place is decided.</summary>
    public static Layering Enigm { get; } = new(
        new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["Enigm.Crypto"] = 0,
            ["Enigm.Keys"] = 1,
            ["Enigm.Trust"] = 1,
            ["Enigm.Ota"] = 2,
            ["Enigm.Messaging"] = 2,
            ["Enigm.Relay"] = 0,
            ["Enigm.Client"] = 3,
            ["Enigm.Server"] = 3,
            // The Trust Security Center page host: over the client SDK, under the CLI that serves it.
            ["Enigm.Center"] = 4,
            ["Enigm.Cli"] = 5,
        },
        new HashSet<(string, string)>
        {
            // The relay stores and forwards ciphertext: it references nothing that can decrypt messages.
            ("Enigm.Server", "Enigm.Messaging"),
            ("Enigm.Server", "Enigm.Client"),

            // The user's page acts only through the client SDK, never through relay internals.
            ("Enigm.Center", "Enigm.Server"),
        });
}
