namespace Enigm.Cli.Output;

/// <summary>A value the parser accepted but the command cannot use (an unknown purpose, a bad duration): exit code 2.</summary>
public sealed class UsageException(string message, Exception? inner = null) : Exception(message, inner);
