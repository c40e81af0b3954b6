using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;

namespace Enigm.Cli.Demo;

/// <summary>Runs the demo chapters in order and turns their claims into an exit code.</summary>
public static class DemoRunner
{
    /// <summary>Every chapter, in the order the story is told. Later parts add theirs here.</summary>
    public static IReadOnlyList<IDemoChapter> Chapters { get; } = [new CryptoChapter(), new KeysChapter(), new OtaChapter(), new TrustChapter(), new MessagingChapter()];

    public static int Run(Narrator narrator, IReadOnlyCollection<string> only)
    {
        var unknown = only.Where(n => Chapters.All(c => c.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"enigm demo: unknown chapter(s) {string.Join(", ", unknown)}; known: {string.Join(", ", Chapters.Select(c => c.Name))}");
            return ExitCodes.Usage;
        }

        var selected = Chapters.Where(c => only.Count == 0 || only.Contains(c.Name)).ToList();
        var claims = new List<Claim>();
        for (var i = 0; i < selected.Count; i++)
        {
            var chapter = selected[i];
            narrator.Heading($"Chapter {i + 1}/{selected.Count}: {chapter.Title}");
            var context = new ChapterContext(chapter.Name, narrator, CryptoProviders.Default, SuitePolicy.Default);
            try
            {
                chapter.Run(context);
            }
            catch (Exception e)
            {
                // A chapter that dies half-way is a failed claim, not a crash of the demo.
                context.Check($"chapter '{chapter.Name}' ran to the end", () => throw e);
            }

            claims.AddRange(context.Claims);
        }

        var failed = claims.Count(c => !c.Ok);
        narrator.Line(string.Empty);
        narrator.Line(failed == 0
            ? $"Demo complete: all {claims.Count} claims hold."
            : $"Demo FAILED: {failed} of {claims.Count} claims do not hold.");
        narrator.WriteJson(new JsonObject
        {
            ["ok"] = failed == 0,
            ["claims"] = new JsonArray([.. claims.Select(c => (JsonNode)new JsonObject
            {
                ["chapter"] = c.Chapter,
                ["claim"] = c.Text,
                ["ok"] = c.Ok,
                ["detail"] = c.Detail,
            })]),
        });
        return failed == 0 && claims.Count > 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }
}
