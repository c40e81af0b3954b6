using Xunit;

namespace Enigm.Keys.Tests.Cli;

/// <summary>
/// Test classes that run the CLI in process and set <c>ENIGM_PASSPHRASE</c> share one process-wide environment:
/// run them one at a time, or one class's "wrong passphrase" test makes another class's commands fail with exit 20.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "in-process CLI (shared environment variables)";
}
