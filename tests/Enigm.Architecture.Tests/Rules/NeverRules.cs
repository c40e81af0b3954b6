namespace Enigm.Architecture.Tests.Rules;

/// <summary>
/// What each shipped assembly must never do (docs/architecture.md, "What each part must never do"),
/// checked on its compiled metadata: the namespaces, types and members it references, the names it
/// defines and the strings it carries. <see cref="Violations"/> returns one line per finding.
/// </summary>
public static class NeverRules
{
    /// <summary>Pure parts: protocol logic over interfaces, no files, network, console, processes or databases.</summary>
    public static IReadOnlySet<string> PureParts { get; } = new HashSet<string>(StringComparer.Ordinal) { "Enigm.Crypto", "Enigm.Trust", "Enigm.Messaging" };

    /// <summary>The only parts that may hold state in SQLite: the key store and, later, the client's and server's stores.</summary>
    public static IReadOnlySet<string> SqliteParts { get; } = new HashSet<string>(StringComparer.Ordinal) { "Enigm.Keys", "Enigm.Client", "Enigm.Server" };

    /// <summary>File, network, console, process and database APIs (a type, or a namespace with everything under it).</summary>
    public static IReadOnlyList<string> InputOutputApis { get; } =
    [
        "System.IO.File", "System.IO.FileInfo", "System.IO.FileStream", "System.IO.Directory", "System.IO.DirectoryInfo",
        "System.IO.FileSystemInfo", "System.IO.FileSystemWatcher", "System.IO.DriveInfo", "System.IO.RandomAccess",
        "System.IO.Pipes", "System.IO.MemoryMappedFiles", "System.IO.IsolatedStorage",
        "System.Net", "System.Console", "System.Diagnostics.Process", "System.Diagnostics.ProcessStartInfo", "Microsoft.Win32.Registry",
        "Microsoft.Data.Sqlite", "Npgsql", "Microsoft.AspNetCore",
    ];

    public static IReadOnlyList<string> Violations(string project, AssemblyFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var found = new List<string>();
        if (PureParts.Contains(project))
            found.AddRange(Uses(facts, InputOutputApis).Select(api => $"{project} does no I/O, but uses {api}"));
        if (!SqliteParts.Contains(project))
            found.AddRange(Uses(facts, ["Microsoft.Data.Sqlite"]).Select(api => $"{project} may not use SQLite ({api}): only Keys, Client and Server stores do"));
        if (project != "Enigm.Server")
            found.AddRange(Uses(facts, ["Npgsql"]).Select(api => $"{project} may not use PostgreSQL ({api}): only the Server does"));
        if (project is not ("Enigm.Server" or "Enigm.Cli" or "Enigm.Center"))
            found.AddRange(Uses(facts, ["Microsoft.AspNetCore"]).Select(api => $"{project} may not use ASP.NET Core ({api}): only the Server, the Trust Security Center page and the CLI host endpoints"));
        if (project == "Enigm.Server")
        {
            found.AddRange(facts.AssemblyReferences.Where(a => a is "Enigm.Messaging" or "Enigm.Client")
                .Select(a => $"Enigm.Server references {a}: the server references nothing that can decrypt messages"));
        }

        // Enigm.Messaging serialises ratchet and prekey state (private DH/KEM keys, as libsignal's session
        // records do) into bytes it hands to its store interfaces; it never persists them itself (no I/O
        // rule above), and the client keeps those bytes wrapped through Enigm.Keys.
        if (project is not ("Enigm.Keys" or "Enigm.Crypto" or "Enigm.Messaging"))
            found.AddRange(PrivateKeyExports(facts).Select(m => $"{project} takes private key material out of a key ({m}): only Enigm.Keys persists private keys"));
        found.AddRange(TestHooks(facts).Select(h => $"{project} ships a test hook: {h}"));
        return found;
    }

    /// <summary>Referenced types, members and assemblies that fall under any of <paramref name="apis"/>.</summary>
    public static IEnumerable<string> Uses(AssemblyFacts facts, IReadOnlyList<string> apis)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var typeHits = facts.TypeReferences.Where(t => apis.Any(api => Covers(api, t)));
        var assemblyHits = facts.AssemblyReferences.Where(a => apis.Any(api => Covers(api, a))).Select(a => $"assembly {a}");
        return typeHits.Concat(assemblyHits).Order(StringComparer.Ordinal);
    }

    // "System.Net" covers System.Net and System.Net.Http.HttpClient but not System.Numerics;
    // "System.IO.File" covers File and File+Nested but not FileStream (listed on its own).
    private static bool Covers(string api, string name) =>
        name == api || name.StartsWith(api + ".", StringComparison.Ordinal) || name.StartsWith(api + "+", StringComparison.Ordinal);

    /// <summary>Calls that take private key bytes out of an Enigm.Crypto key (PrivateKey.ExportPrivateMaterial and the like).</summary>
    public static IEnumerable<string> PrivateKeyExports(AssemblyFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return facts.MemberReferences.Where(m =>
        {
            var separator = m.IndexOf("::", StringComparison.Ordinal);
            var type = m[..separator];
            var member = m[(separator + 2)..];
            return type.StartsWith("Enigm.Crypto.", StringComparison.Ordinal)
                && member.StartsWith("Export", StringComparison.Ordinal)
                && member.Contains("Private", StringComparison.Ordinal);
        }).Order(StringComparer.Ordinal);
    }

    /// <summary>Types or members named *ForTests / *ForTesting (defined or called) and ENIGM_TEST_* strings.</summary>
    public static IEnumerable<string> TestHooks(AssemblyFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var names = facts.DefinedNames.Concat(facts.MemberReferences).Where(n => n.Contains("ForTest", StringComparison.Ordinal));
        var strings = facts.Strings.Where(s => s.Contains("ENIGM_TEST_", StringComparison.Ordinal)).Select(s => $"string \"{s}\"");
        return names.Concat(strings).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
    }
}
