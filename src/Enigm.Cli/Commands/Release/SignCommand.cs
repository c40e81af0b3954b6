using System.CommandLine;
using Enigm.Cli.Output;
using Enigm.Ota.Repository;

namespace Enigm.Cli.Commands.Release;

/// <summary><c>enigm release sign REPO --role R</c>: add this holder's signatures to a staged role.</summary>
internal static class SignCommand
{
    public static Command Build(HolderCommands holder)
    {
        var repo = HolderCommands.Repo();
        var role = HolderCommands.Role();
        return holder.Leaf("sign", "Add this holder's signatures to a staged role (root, targets or a delegated role).", (n, keys, p) =>
        {
            var repository = TufRepository.Open(p.GetValue(repo)!);
            var roleName = p.GetValue(role)!;
            var signed = repository.Sign(roleName, keys.Signers());
            var status = repository.Status(roleName);
            n.Line($"  {roleName} v{status.Version}: signed by {string.Join(", ", signed.Select(k => k[..16]))}; {status.ValidSignatures} of {status.Threshold} required{(status.ThresholdMet ? " (threshold met)" : "")}");
            n.WriteJson(ReleaseJson.Status(status, signed));
            return ExitCodes.Ok;
        }, repo, role);
    }
}
