using Enigm.Server.Hosting;
using Microsoft.AspNetCore.Http;

namespace Enigm.Server.Console;

/// <summary>
/// One state-changing console action. Administration can only lower trust (issue 14): every action disables, or records
/// what the organisation key signed (a policy, restrict, lift or revoke); none adds a device, changes a key or reads
/// content. <see cref="Describe"/> is the confirmation step (changes nothing; it may refuse input the action does not
/// take); <see cref="Execute"/> runs only on a post with <c>confirmed=yes</c> and the CSRF token.
/// </summary>
public sealed record ConsoleAction(
    string Name,
    string Title,
    IReadOnlyList<string> Fields,
    Func<IFormCollection, string> Describe,
    Func<RelayState, IFormCollection, CancellationToken, Task<string>> Execute);
