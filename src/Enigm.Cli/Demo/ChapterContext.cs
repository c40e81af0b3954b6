using Enigm.Cli.Output;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;

namespace Enigm.Cli.Demo;

/// <summary>One checked statement of a demo chapter.</summary>
public sealed record Claim(string Chapter, string Text, bool Ok, string? Detail);

/// <summary>
/// What a chapter works with, and where it records its claims. Every step, line and claim first
/// checks <paramref name="cancellation"/> (Ctrl-C): the chapter then unwinds through its
/// <c>finally</c> blocks, so its temporary folders are deleted (DemoRunner).
/// </summary>
public sealed class ChapterContext(string chapter, Narrator narrator, CryptoProviders providers, SuitePolicy policy, CancellationToken cancellation = default)
{
    private readonly List<Claim> _claims = [];

    public Narrator Narrator { get; } = narrator;

    public CryptoProviders Providers { get; } = providers;

    public SuitePolicy Policy { get; } = policy;

    public IReadOnlyList<Claim> Claims => _claims;

    public CancellationToken Cancellation { get; } = cancellation;

    public void Step(string text)
    {
        Cancellation.ThrowIfCancellationRequested();
        Narrator.Step(text);
    }

    public void Info(string text)
    {
        Cancellation.ThrowIfCancellationRequested();
        Narrator.Info(text);
    }

    /// <summary>Records a claim; an exception in <paramref name="test"/> makes it fail, with the reason.</summary>
    public bool Check(string claim, Func<bool> test)
    {
        Cancellation.ThrowIfCancellationRequested();
        bool ok;
        string? detail = null;
        try
        {
            ok = test();
        }
        catch (Exception e)
        {
            ok = false;
            detail = $"{e.GetType().Name}: {e.Message}";
        }

        return Record(claim, ok, detail);
    }

    /// <summary>Records a claim that <paramref name="action"/> is refused with exactly <typeparamref name="TError"/>.</summary>
    public bool Rejects<TError>(string claim, Action action)
        where TError : Exception
    {
        Cancellation.ThrowIfCancellationRequested();
        try
        {
            action();
            return Record(claim, false, "accepted");
        }
        catch (TError)
        {
            return Record(claim, true, null);
        }
        catch (Exception e)
        {
            return Record(claim, false, $"wrong error {e.GetType().Name}: {e.Message}");
        }
    }

    private bool Record(string claim, bool ok, string? detail)
    {
        _claims.Add(new Claim(chapter, claim, ok, detail));
        Narrator.Verdict(ok, claim);
        if (!ok && detail is not null) Narrator.Info(detail);
        return ok;
    }
}

/// <summary>A narrated part of <c>enigm demo</c> that checks its own claims.</summary>
public interface IDemoChapter
{
    /// <summary>Short name, used by <c>enigm demo --chapter</c>.</summary>
    string Name { get; }

    string Title { get; }

    void Run(ChapterContext context);
}
