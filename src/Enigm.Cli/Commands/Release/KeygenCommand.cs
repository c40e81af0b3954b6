using System.CommandLine;
using Enigm.Cli.Output;
using Enigm.Ota.Metadata;
using static Enigm.Cli.Commands.Release.ReleaseArguments;

namespace Enigm.Cli.Commands.Release;

/// <summary><c>enigm release keygen --role R [--out FILE]</c>: a signing key in this holder's key store, public key exported.</summary>
internal static class KeygenCommand
{
    public static Command Build(HolderCommands holder)
    {
        var role = HolderCommands.Role();
        var keyType = HolderCommands.KeyType();
        var keyOut = new Option<string?>("--out") { Description = "Write the public key (TUF key JSON) to this new file (missing folders are created; an existing file is refused), for the repository owner's --key option." };
        return holder.Leaf("keygen", "Generate a signing key for a role in this holder's --home and export its public key.", (n, keys, p) =>
        {
            var roleName = p.GetValue(role)!;
            var algorithm = KeyType(p.GetValue(keyType)!, roleName);
            // Checked before the key exists, so a bad --out never leaves an unexported key behind.
            if (p.GetValue(keyOut) is { } target) PublicKeyOutput.CheckWritable(target);
            var key = keys.Generate(roleName, algorithm, $"TUF {roleName} key");
            if (p.GetValue(keyOut) is { } file) PublicKeyOutput.Write(file, CanonicalJson.Serialize(key.Json), key.KeyId);
            n.Line($"  {roleName} key {key.KeyId} ({key.KeyType}/{key.Scheme}){(p.GetValue(keyOut) is { } f ? $" written to {f}" : "")}");
            n.WriteJson(ReleaseJson.Key(key, roleName));
            return ExitCodes.Ok;
        }, role, keyType, keyOut);
    }
}
