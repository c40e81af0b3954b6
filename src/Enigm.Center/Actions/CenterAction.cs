using Enigm.Client;
using Microsoft.AspNetCore.Http;

namespace Enigm.Center.Actions;

/// <summary>What an action did: a sentence for the result page and, for a first step, more HTML (a next form).</summary>
public sealed record ActionOutcome(string Message, string? NextStepHtml = null);

/// <summary>
/// One state-changing action of the page. <see cref="Describe"/> says what it will do (the confirmation step, which
/// changes nothing); <see cref="Execute"/> does it through the client SDK, as the CLI command of the same name does.
/// Only <see cref="Fields"/> are read from the form and carried from the confirmation to the execution.
/// </summary>
public sealed record CenterAction(
    string Name,
    string Title,
    IReadOnlyList<string> Fields,
    Func<EnigmClient, IFormCollection, string> Describe,
    Func<EnigmClient, IFormCollection, string, CancellationToken, Task<ActionOutcome>> Execute);
