using System.Globalization;
using SharpFuzz;

namespace Enigm.Fuzz;

// Enigm fuzzing harness. See docs/fuzzing.md.
//   Enigm.Fuzz list                                  target names and descriptions
//   Enigm.Fuzz <target>                              run under afl-fuzz (SharpFuzz persistent fork server)
//   Enigm.Fuzz <target> --replay <path>... [--mutate] run files (or every file under folders) without AFL
//   Enigm.Fuzz --write-seeds <dir> [<target>...]     write seed inputs to <dir>/<target>/
//   Enigm.Fuzz --write-group-roster-fixture <file>   the fixed logs and roster of group-roster-entry (Data/)
// Exit codes: 0 ok, 1 a crash on replay, 2 usage.
internal static class Program
{
    public static int Main(string[] args)
    {
        CoverageMap.EnsureAllocated();
        if (args.Length == 0 || args[0] is "-h" or "--help") return Usage();
        if (args[0] == "list")
        {
            foreach (var target in FuzzTargets.All)
                Console.WriteLine($"{target.Name,-16} {target.Description}");
            return 0;
        }

        if (args[0] == "--write-group-roster-fixture" && args.Length == 2)
        {
            Targets.GroupTargets.WriteRosterFixture(args[1]);
            return 0;
        }

        if (args[0] == "--write-seeds")
            return args.Length < 2 ? Usage() : WriteSeeds(args[1], args[2..]);

        var selected = FuzzTargets.Find(args[0]);
        if (selected is null)
        {
            Console.Error.WriteLine($"unknown target '{args[0]}'; try 'list'");
            return 2;
        }

        if (args.Length == 1)
        {
            selected.Prepare();
            var buffer = new MemoryStream();
            Fuzzer.Run(stream =>
            {
                buffer.SetLength(0);
                stream.CopyTo(buffer);
                selected.Execute(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            });
            return 0;
        }

        if (args[1] != "--replay" || args.Length < 3) return Usage();
        var mutate = args.Contains("--mutate");
        return Replay.Run(selected, [.. args[2..].Where(a => a != "--mutate")], mutate, Console.Out);
    }

    private static int WriteSeeds(string directory, string[] names)
    {
        var targets = names.Length == 0 ? FuzzTargets.All : names.Select(n => FuzzTargets.Find(n) ?? throw new ArgumentException($"unknown target '{n}'")).ToList();
        foreach (var target in targets)
        {
            var folder = Path.Combine(directory, target.Name);
            Directory.CreateDirectory(folder);
            var count = 0;
            foreach (var seed in target.Seeds())
            {
                var file = $"{count:D2}-{Sanitize(seed.Label)}.bin";
                File.WriteAllBytes(Path.Combine(folder, file), seed.Bytes);
                count++;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{target.Name}: {count} seeds in {folder}"));
        }

        return 0;
    }

    private static string Sanitize(string label) =>
        new([.. label.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_')]);

    private static int Usage()
    {
        Console.Error.WriteLine("usage: Enigm.Fuzz list | <target> | <target> --replay <path>... [--mutate] | --write-seeds <dir> [<target>...]");
        return 2;
    }
}
