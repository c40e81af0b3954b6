using Enigm.Cli.Output;
using Enigm.Cli.Tests.Support;
using Xunit;
using static Enigm.Cli.Tests.Support.Enigm;

namespace Enigm.Cli.Tests;

/// <summary>
/// No input reaches exit 70 (issue 11 §3): hostile command lines for demo, selftest, suites,
/// trust verify-log, trust safety-number, help and the shared options each get a documented code
/// and exactly one line on stderr.
/// </summary>
public sealed class HostileCommandLineTests : IDisposable
{
    private static readonly string Hex64 = new('a', 64);
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void No_hostile_command_line_exits_70_and_every_failure_is_one_line_on_stderr()
    {
        var garbage = _temp.File("garbage.bin", [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37))]);
        var empty = _temp.File("empty.bin", []);
        var cbor = _temp.File("cbor.bin", [0x9f, 0x41, 0x00, 0xff]);
        string[][] commandLines =
        [
            ["keys", "init", "--home", "/dev/null", "--argon2", "interactive"],
            ["keys", "list", "--home", garbage],
            ["keys", "list", "--home", "/dev/null/below"],
            ["release", "keygen", "--role", "root", "--home", "/dev/null", "--argon2", "interactive"],
            ["release", "status", _temp.Path, "--home", garbage],
            ["--home", "/dev/null", "suites"],
            ["trust", "verify-log", "/dev/zero"],
            ["trust", "verify-log", "/dev/null"],
            ["update", "check", "--repo", _temp.Path, "--device", "/dev/zero", "--state", Path.Combine(_temp.Path, "state")],
            ["trust", "verify-log", _temp.Path],
            ["trust", "verify-log", Path.Combine(_temp.Path, "missing")],
            ["trust", "verify-log", empty],
            ["trust", "verify-log", garbage],
            ["trust", "verify-log", cbor, "--json"],
            ["trust", "verify-log", garbage, "--last-seen", "x"],
            ["trust", "verify-log", garbage, "--last-seen", "-1:" + Hex64],
            ["trust", "verify-log", garbage, "--last-seen", "99999999999999999999:" + Hex64],
            ["trust", "verify-log", garbage, "--last-seen", "1:" + new string('z', 64)],
            ["trust", "safety-number", "", ""],
            ["trust", "safety-number", "zz", Hex64],
            ["trust", "safety-number", Hex64 + "a", Hex64],
            ["trust", "safety-number", new string('é', 64), Hex64],
            ["trust", "safety-number", " " + Hex64.ToUpperInvariant() + " ", Hex64],
            ["trust", "safety-number", Hex64, Hex64, Hex64],
            ["demo", "--chapter", ""],
            ["demo", "--chapter", "nope", "--chapter", "crypto"],
            ["demo", "--chapter"],
            ["selftest", "--bogus"],
            ["suites", "extra"],
            ["--json", "--json", "suites"],
            ["help", "exit-codes", "extra"],
            ["help", "nosuchcommand"],
            ["nosuchcommand", "--help"],
            ["keys"],
            [""],
            ["\0"],
            [],
        ];

        foreach (var args in commandLines)
        {
            var (code, output, error) = Run(args);
            var shown = string.Join(' ', args.Select(a => $"[{a}]"));
            Assert.True(code != ExitCodes.InternalError, $"{shown} exited 70: {error}");
            Assert.Contains(code, ExitCodes.Table.Select(e => e.Code));
            if (code == ExitCodes.Ok) continue;

            // A verifier's failed verification is its verdict on stdout (like `keys audit verify`);
            // every other failure is exactly one line on stderr.
            var verdict = output.Contains("[FAIL]", StringComparison.Ordinal) || output.Contains("\"ok\": false", StringComparison.Ordinal);
            Assert.True(Lines(error).Length == 1 || (verdict && Lines(error).Length == 0), $"{shown} (exit {code}) wrote {Lines(error).Length} lines to stderr: {error}");
        }
    }
}
