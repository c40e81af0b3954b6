using System.CommandLine;

namespace Enigm.Cli.Commands.Keys;

/// <summary>Options several <c>enigm keys</c> subcommands take (a new instance per command).</summary>
internal static class KeyOptions
{
    public static Argument<string> Id() => new("id") { Description = "Key version id (k_….vN) or series id (its newest version)." };

    public static Option<string?> Reason() => new("--reason") { Description = "Why (recorded in the key and the audit log)." };

    public static Option<string> RequiredReason(string description) => new("--reason") { Description = description, Required = true };

    public static Option<string?> Grace() => new("--grace") { Description = "How long the old version may still verify/decrypt, e.g. 7d (default: the purpose's policy)." };
}

/// <summary>How a store's key-encryption key is protected: <c>keys init</c> and <c>keys passwd</c> take the same options.</summary>
internal sealed class ProtectorOptions
{
    public Option<string> Protector { get; } = new("--protector") { Description = "passphrase (Argon2id) or tpm.", DefaultValueFactory = _ => "passphrase" };

    public Option<string> Argon { get; } = new("--argon2") { Description = "Argon2id cost: interactive, moderate (default) or sensitive.", DefaultValueFactory = _ => "moderate" };

    public Option<string?> Pcrs { get; } = new("--pcrs") { Description = "TPM only: bind the sealed KEK to these PCRs, e.g. sha256:0,7." };

    public Symbol[] All => [Protector, Argon, Pcrs];
}
