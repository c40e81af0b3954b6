using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;

namespace Enigm.Cli.Demo;

/// <summary>Runs the demo chapters in order and turns their claims into an exit code.</summary>
public static class DemoRunner
{
    /// <summary>Every chapter, in the order the story is told. Later parts add theirs here.</summary>
    public static IReadOnlyList<IDemoChapter> Chapters { get; } = [new RelayChapter(), new CryptoChapter(), new KeysChapter(), new OtaChapter(), new TrustChapter(), new MessagingChapter(), new GroupsChapter(), new CallChapter(), new TrustCenterChapter()];

    /// <summary>
    /// Runs the chapters named in <paramref name="only"/> (all if empty). When
    /// <paramref name="cancellation"/> fires, the running chapter stops at its next step, its
    /// <c>finally</c> blocks delete its temporary folders, and <see cref="OperationCanceledException"/>
    /// propagates (exit 130).
    /// </summary>
    public static int Run(Narrator narrator, IReadOnlyCollection<string> only, CancellationToken cancellation = default)
    {
        var unknown = only.Where(n => Chapters.All(c => c.Name != n)).ToList();
        if (unknown.Count > 0)
            throw new UsageException($"unknown chapter(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}; known: {string.Join(", ", Chapters.Select(c => c.Name))}");

        var selected = Chapters.Where(c => only.Count == 0 || only.Contains(c.Name)).ToList();
        var claims = new List<Claim>();
        for (var i = 0; i < selected.Count; i++)
        {
            var chapter = selected[i];
            narrator.Heading($"Chapter {i + 1}/{selected.Count}: {chapter.Title}");
            var context = new ChapterContext(chapter.Name, narrator, CryptoProviders.Default, SuitePolicy.Default, cancellation);
            try
            {
                chapter.Run(context);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                throw;
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
