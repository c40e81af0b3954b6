using Enigm.Architecture.Tests.Rules;
using Enigm.Architecture.Tests.Support;
using Enigm.Crypto.Secrets;
using Xunit;

namespace Enigm.Architecture.Tests;

/// <summary>
/// Each never-rule catches a small assembly that breaks it (compiled in memory from the source shown),
/// and lets the part that is allowed to do it pass.
/// </summary>
public sealed class NeverRuleViolationTests
{
    private static AssemblyFacts Violator(string source, params IEnumerable<Microsoft.CodeAnalysis.MetadataReference> references) =>
        FixtureCompiler.Facts(FixtureCompiler.Compile("Violator", source, references));

    private static byte[] StandIn(string assemblyName, string source) => FixtureCompiler.Compile(assemblyName, source);

    [Fact]
    public void Pure_code_over_streams_and_paths_breaks_no_rule()
    {
        var facts = Violator("""
            public static class Clean
            {
                public static byte[] Copy(System.IO.Stream input)
                {
                    using var buffer = new System.IO.MemoryStream();
                    input.CopyTo(buffer);
                    _ = System.IO.Path.Combine("a", "b");
                    return System.Security.Cryptography.SHA256.HashData(buffer.ToArray());
                }
            }
            """);

        foreach (var part in new[] { "Enigm.Crypto", "Enigm.Trust", "Enigm.Messaging", "Enigm.Server" })
            Assert.Empty(NeverRules.Violations(part, facts));
    }

    [Theory]
    [InlineData("Enigm.Crypto", "System.IO.File.ReadAllBytes(\"k\")", "System.IO.File")]
    [InlineData("Enigm.Trust", "new System.IO.FileStream(\"log\", System.IO.FileMode.Open)", "System.IO.FileStream")]
    [InlineData("Enigm.Messaging", "System.IO.Directory.GetFiles(\".\")", "System.IO.Directory")]
    [InlineData("Enigm.Trust", "new System.Net.Http.HttpClient()", "System.Net.Http.HttpClient")]
    [InlineData("Enigm.Messaging", "new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp)", "System.Net.Sockets.Socket")]
    [InlineData("Enigm.Crypto", "System.Diagnostics.Process.Start(\"sh\")", "System.Diagnostics.Process")]
    public void A_pure_part_doing_io_is_caught(string part, string expression, string api)
    {
        var facts = Violator($"public static class Io {{ public static object Run() => {expression}; }}");

        Assert.Contains($"{part} does no I/O, but uses {api}", NeverRules.Violations(part, facts));
        Assert.DoesNotContain(NeverRules.Violations("Enigm.Ota", facts), v => v.Contains("I/O", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pure_part_writing_to_the_console_is_caught()
    {
        var facts = Violator("public static class Io { public static void Run() => System.Console.WriteLine(1); }");

        Assert.Contains("Enigm.Messaging does no I/O, but uses System.Console", NeverRules.Violations("Enigm.Messaging", facts));
    }

    [Fact]
    public void Sqlite_outside_the_stores_is_caught_and_allowed_in_keys()
    {
        var sqlite = StandIn("Microsoft.Data.Sqlite", "namespace Microsoft.Data.Sqlite { public sealed class SqliteConnection { } }");
        var facts = Violator("public static class Db { public static object Open() => new Microsoft.Data.Sqlite.SqliteConnection(); }", FixtureCompiler.Reference(sqlite));

        Assert.Contains("Enigm.Ota may not use SQLite (Microsoft.Data.Sqlite.SqliteConnection): only Keys, Client and Server stores do", NeverRules.Violations("Enigm.Ota", facts));
        Assert.Contains("Enigm.Trust does no I/O, but uses Microsoft.Data.Sqlite.SqliteConnection", NeverRules.Violations("Enigm.Trust", facts));
        Assert.Empty(NeverRules.Violations("Enigm.Keys", facts));
    }

    [Fact]
    public void Npgsql_outside_the_server_is_caught()
    {
        var npgsql = StandIn("Npgsql", "namespace Npgsql { public sealed class NpgsqlConnection { } }");
        var facts = Violator("public static class Db { public static object Open() => new Npgsql.NpgsqlConnection(); }", FixtureCompiler.Reference(npgsql));

        Assert.Contains("Enigm.Keys may not use PostgreSQL (Npgsql.NpgsqlConnection): only the Server does", NeverRules.Violations("Enigm.Keys", facts));
        Assert.Empty(NeverRules.Violations("Enigm.Server", facts));
    }

    [Fact]
    public void Asp_net_core_in_a_library_is_caught()
    {
        var web = StandIn("Microsoft.AspNetCore.Http.Abstractions", "namespace Microsoft.AspNetCore.Http { public abstract class HttpContext { } }");
        var facts = Violator("public static class Web { public static string Name(Microsoft.AspNetCore.Http.HttpContext c) => c.ToString()!; }", FixtureCompiler.Reference(web));

        Assert.Contains(NeverRules.Violations("Enigm.Ota", facts), v => v.StartsWith("Enigm.Ota may not use ASP.NET Core (Microsoft.AspNetCore.Http.HttpContext)", StringComparison.Ordinal));
        Assert.Empty(NeverRules.Violations("Enigm.Cli", facts));
    }

    [Fact]
    public void A_server_that_references_messaging_is_caught()
    {
        var messaging = StandIn("Enigm.Messaging", "namespace Enigm.Messaging { public sealed class Session { public byte[] Decrypt(byte[] c) => c; } }");
        var facts = Violator("public static class Relay { public static byte[] Peek(Enigm.Messaging.Session s, byte[] c) => s.Decrypt(c); }", FixtureCompiler.Reference(messaging));

        Assert.Contains("Enigm.Server references Enigm.Messaging: the server references nothing that can decrypt messages", NeverRules.Violations("Enigm.Server", facts));
        Assert.Empty(NeverRules.Violations("Enigm.Client", facts));
    }

    [Fact]
    public void Taking_private_key_bytes_out_of_a_key_outside_keys_is_caught()
    {
        var facts = Violator(
            "public static class Leak { public static object Bytes(Enigm.Crypto.Secrets.PrivateKey k) => k.ExportPrivateMaterial(); }",
            FixtureCompiler.Reference(typeof(PrivateKey).Assembly));

        Assert.Contains("Enigm.Trust takes private key material out of a key (Enigm.Crypto.Secrets.PrivateKey::ExportPrivateMaterial): only Enigm.Keys persists private keys",
            NeverRules.Violations("Enigm.Trust", facts));
        Assert.Contains(NeverRules.Violations("Enigm.Cli", facts), v => v.Contains("ExportPrivateMaterial", StringComparison.Ordinal));
        Assert.Empty(NeverRules.Violations("Enigm.Keys", facts));
    }

    [Fact]
    public void A_member_named_for_tests_is_caught_in_every_part()
    {
        var facts = Violator("public sealed class Ring { internal byte[] ExportMaterialForTests() => []; public static bool ResetForTesting { get; set; } }");

        var violations = NeverRules.Violations("Enigm.Keys", facts);

        Assert.Contains("Enigm.Keys ships a test hook: Ring::ExportMaterialForTests", violations);
        Assert.Contains("Enigm.Keys ships a test hook: Ring::ResetForTesting", violations);
        Assert.NotEmpty(NeverRules.Violations("Enigm.Cli", facts));
    }

    [Fact]
    public void An_enigm_test_variable_is_caught_as_a_literal_or_a_constant()
    {
        var literal = Violator("public static class Pause { public static string? At() => System.Environment.GetEnvironmentVariable(\"ENIGM_TEST_PAUSE_AT\"); }");
        var constant = Violator("public static class Pause { public const string Variable = \"ENIGM_TEST_SLOW\"; }");

        Assert.Contains("Enigm.Cli ships a test hook: string \"ENIGM_TEST_PAUSE_AT\"", NeverRules.Violations("Enigm.Cli", literal));
        Assert.Contains("Enigm.Ota ships a test hook: string \"ENIGM_TEST_SLOW\"", NeverRules.Violations("Enigm.Ota", constant));
    }
}
