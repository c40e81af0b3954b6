using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Release;
using Enigm.Cli.Output;
using Enigm.Ota.Eligibility;
using Enigm.Ota.Metadata;
using Enigm.Ota.Repository;
using Microsoft.Extensions.Hosting;
using static Enigm.Cli.Commands.Release.ReleaseArguments;

namespace Enigm.Cli.Commands;

/// <summary>
/// <c>enigm release …</c>: the signing side of a TUF repository (<see cref="TufRepository"/>). Each key
/// holder runs the commands with their own <c>--home</c>; signatures accumulate in the repository's
/// staged metadata until every threshold is met and <c>publish</c> writes a consistent snapshot.
/// </summary>
public static class ReleaseCommand
{
    public static Command Build(Option<bool> json, Func<Func<int>, int> guard, TextWriter output)
    {
        var home = new Option<string?>("--home") { Description = "Key holder's folder (default: $ENIGM_HOME, else ~/.enigm).", Recursive = true };
        var argon = new Option<string>("--argon2") { Description = "Argon2id cost when this command creates the holder's key store: interactive, moderate (default), sensitive.", DefaultValueFactory = _ => "moderate", Recursive = true };
        var release = new Command("release", "Sign and publish TUF release repositories (root, targets with delegations, snapshot, timestamp; consistent snapshots).");
        release.Options.Add(home);
        release.Options.Add(argon);
        var repo = new Argument<string>("repo") { Description = "Repository folder." };
        var keyType = new Option<string>("--key-type") { Description = "Type of generated keys: " + KeyTypes + ".", DefaultValueFactory = _ => "suite" };
        var role = new Option<string>("--role") { Description = "Role: root, targets or a delegated role name.", Required = true };

        Command Leaf(string name, string description, Func<Narrator, HolderKeys, ParseResult, int> action, params Symbol[] symbols)
        {
            var command = new Command(name, description);
            foreach (var symbol in symbols)
            {
                if (symbol is Argument argument) command.Arguments.Add(argument);
                else command.Options.Add((Option)symbol);
            }

            command.SetAction(parse => guard(() =>
            {
                using var keys = new HolderKeys(parse.GetValue(home), Argon(parse.GetValue(argon)!));
                return action(new Narrator(output, parse.GetValue(json)), keys, parse);
            }));
            release.Subcommands.Add(command);
            return command;
        }

        var keyOut = new Option<string?>("--out") { Description = "Write the public key (TUF key JSON) here, for the repository owner's --key option." };
        Leaf("keygen", "Generate a signing key for a role in this holder's --home and export its public key.", (n, keys, p) =>
        {
            var roleName = p.GetValue(role)!;
            var key = keys.Generate(roleName, KeyType(p.GetValue(keyType)!, roleName), $"TUF {roleName} key");
            if (p.GetValue(keyOut) is { } file) File.WriteAllBytes(file, CanonicalJson.Serialize(key.Json));
            n.Line($"  {roleName} key {key.KeyId} ({key.KeyType}/{key.Scheme}){(p.GetValue(keyOut) is { } f ? $" written to {f}" : "")}");
            n.WriteJson(KeyJson(key, roleName));
            return ExitCodes.Ok;
        }, role, keyType, keyOut);

        var thresholds = new Option<string[]>("--threshold") { Description = "ROLE=N signatures required (repeatable; default 1).", AllowMultipleArgumentsPerToken = true };
        var externalKeys = new Option<string[]>("--key") { Description = "ROLE=FILE: another holder's public key from 'release keygen' (repeatable).", AllowMultipleArgumentsPerToken = true };
        var expires = new Option<string[]>("--expires") { Description = "ROLE=DURATION lifetime of new versions, e.g. timestamp=12h (defaults: root 365d, targets 90d, snapshot 7d, timestamp 1d).", AllowMultipleArgumentsPerToken = true };
        Leaf("init", "Create a repository: one key per top-level role in this --home, plus other holders' keys; root v1 and targets v1 are staged for signing.", (n, keys, p) =>
        {
            var settings = new RepositorySettings();
            foreach (var (r, value) in RoleValues(p.GetValue(expires), "--expires")) settings = settings.WithExpiry(r, Duration(value));
            var threshold = RoleValues(p.GetValue(thresholds), "--threshold").ToDictionary(t => t.Role, t => Threshold(t.Value));
            var external = RoleValues(p.GetValue(externalKeys), "--key").ToLookup(k => k.Role, k => PublicKeyFile(k.Value));
            var specs = new Dictionary<string, RoleKeySpec>(StringComparer.Ordinal);
            foreach (var r in RootMetadata.TopLevelRoles)
            {
                var local = keys.Generate(r, KeyType(p.GetValue(keyType)!, r), $"TUF {r} key");
                specs[r] = new RoleKeySpec([local, .. external[r]], threshold.GetValueOrDefault(r, 1));
                if (specs[r].Threshold > specs[r].Keys.Count) throw new UsageException($"role {r}: threshold {specs[r].Threshold} but {specs[r].Keys.Count} key(s); add --key {r}=FILE");
            }

            var repository = TufRepository.Init(p.GetValue(repo)!, specs, settings);
            n.Line($"  repository created at {repository.Layout.Root}; staged: root v1, targets v1");
            foreach (var (r, spec) in specs) n.Line($"  {r,-9} {spec.Threshold} of {spec.Keys.Count}: {string.Join(", ", spec.Keys.Select(k => k.KeyId[..16]))}");
            n.Line("  next: 'enigm release sign REPO --role root' and '--role targets' by each holder, then 'enigm release publish REPO'");
            n.WriteJson(new JsonObject
            {
                ["repository"] = repository.Layout.Root,
                ["roles"] = new JsonObject([.. specs.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)new JsonObject
                {
                    ["threshold"] = s.Value.Threshold,
                    ["keyids"] = new JsonArray([.. s.Value.Keys.Select(k => (JsonNode)JsonValue.Create(k.KeyId))]),
                }))]),
            });
            return ExitCodes.Ok;
        }, repo, keyType, thresholds, externalKeys, expires);

        AddTargetCommands(release, repo, Leaf);
        AddSigningCommands(release, repo, role, Leaf);
        AddKeyCommands(repo, role, keyType, Leaf);
        release.Subcommands.Add(ServeCommand(json, guard, output, repo));
        return release;
    }

    private delegate Command LeafFactory(string name, string description, Func<Narrator, HolderKeys, ParseResult, int> action, params Symbol[] symbols);

    private static void AddTargetCommands(Command release, Argument<string> repo, LeafFactory leaf)
    {
        _ = release;
        var artifact = new Argument<string>("artifact") { Description = "The file to release." };
        var version = new Option<string>("--version") { Description = "Release version (dotted numeric, e.g. 2.1.0).", Required = true };
        var channel = new Option<string>("--channel") { Description = "Release channel, e.g. stable or beta.", Required = true };
        var models = new Option<string?>("--models") { Description = "Comma-separated device models (default: every model)." };
        var minOs = new Option<string?>("--min-os") { Description = "Lowest device OS version." };
        var minVersion = new Option<string?>("--min-version") { Description = "Lowest installed version that may update to this one." };
        var rollout = new Option<int>("--rollout") { Description = "Staged rollout percentage, 0-100.", DefaultValueFactory = _ => 100 };
        var requireTrust = new Option<string?>("--require-trust") { Description = "Device trust state required, e.g. verified." };
        var name = new Option<string?>("--name") { Description = "Target path clients request (default: the artifact's file name)." };
        var targetRole = new Option<string>("--role") { Description = "targets (default) or a delegated role.", DefaultValueFactory = _ => "targets" };
        leaf("add", "Stage a release: the artifact's length, sha256 and sha512 and its eligibility rules go into the targets role's next version.", (n, _, p) =>
        {
            var percent = p.GetValue(rollout);
            if (percent is < 0 or > 100) throw new UsageException($"--rollout {percent} is not a percentage");
            var versionText = p.GetValue(version)!;
            if (!System.Text.RegularExpressions.Regex.IsMatch(versionText, @"^[0-9]{1,9}(\.[0-9]{1,9}){0,3}$"))
                throw new UsageException($"--version '{versionText}' is not dotted numeric (e.g. 2.1.0)");
            var rules = new ReleaseRules
            {
                Version = versionText,
                Channel = p.GetValue(channel)!,
                Models = List(p.GetValue(models)),
                MinOs = p.GetValue(minOs),
                MinVersion = p.GetValue(minVersion),
                RolloutPercent = percent,
                RequireTrust = p.GetValue(requireTrust),
            };
            var file = p.GetValue(artifact)!;
            var path = p.GetValue(name) ?? Path.GetFileName(file);
            var repository = TufRepository.Open(p.GetValue(repo)!);
            var target = repository.AddTarget(file, path, rules, p.GetValue(targetRole)!);
            n.Line($"  staged {path}: {target.Length} bytes, sha256 {target.Hashes["sha256"]}");
            n.WriteJson(new JsonObject
            {
                ["target"] = path,
                ["role"] = p.GetValue(targetRole),
                ["length"] = target.Length,
                ["hashes"] = new JsonObject([.. target.Hashes.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)JsonValue.Create(h.Value)))]),
                ["custom"] = JsonNode.Parse(CanonicalJson.Serialize(target.Custom!)),
            });
            return ExitCodes.Ok;
        }, repo, artifact, version, channel, models, minOs, minVersion, rollout, requireTrust, name, targetRole);

        var paths = new Option<string>("--paths") { Description = "Comma-separated path patterns the role is trusted for (TUF 'paths', e.g. vendor/*).", Required = true };
        var terminating = new Option<bool>("--terminating") { Description = "Stop the target search at this role (TUF 'terminating')." };
        var delegatedThreshold = new Option<int>("--threshold") { Description = "Signatures required.", DefaultValueFactory = _ => 1 };
        var delegatedKeys = new Option<string[]>("--key") { Description = "Public key file of another holder of the role (repeatable).", AllowMultipleArgumentsPerToken = true };
        var delegatedType = new Option<string>("--key-type") { Description = "Type of the key generated in this --home: " + KeyTypes + ".", DefaultValueFactory = _ => "suite" };
        var delegatedName = new Option<string>("--role") { Description = "Name of the delegated role.", Required = true };
        leaf("delegate", "Delegate target paths from targets to a new role with its own keys and threshold.", (n, keys, p) =>
        {
            var roleName = p.GetValue(delegatedName)!;
            var local = keys.Generate(roleName, KeyType(p.GetValue(delegatedType)!, roleName), $"TUF delegated role {roleName}");
            var spec = new RoleKeySpec([local, .. (p.GetValue(delegatedKeys) ?? []).Select(PublicKeyFile)], p.GetValue(delegatedThreshold));
            if (spec.Threshold < 1 || spec.Threshold > spec.Keys.Count) throw new UsageException($"threshold {spec.Threshold} with {spec.Keys.Count} key(s)");
            var patterns = List(p.GetValue(paths));
            TufRepository.Open(p.GetValue(repo)!).Delegate(roleName, spec, patterns, p.GetValue(terminating));
            n.Line($"  staged delegation of {string.Join(", ", patterns)} to {roleName} ({spec.Threshold} of {spec.Keys.Count}, terminating: {p.GetValue(terminating)})");
            n.WriteJson(new JsonObject { ["role"] = roleName, ["paths"] = new JsonArray([.. patterns.Select(x => (JsonNode)JsonValue.Create(x))]), ["terminating"] = p.GetValue(terminating), ["threshold"] = spec.Threshold, ["keyid"] = local.KeyId });
            return ExitCodes.Ok;
        }, repo, delegatedName, paths, terminating, delegatedThreshold, delegatedKeys, delegatedType);
    }

    private static void AddSigningCommands(Command release, Argument<string> repo, Option<string> role, LeafFactory leaf)
    {
        _ = release;
        leaf("sign", "Add this holder's signatures to a staged role (root, targets or a delegated role).", (n, keys, p) =>
        {
            var repository = TufRepository.Open(p.GetValue(repo)!);
            var roleName = p.GetValue(role)!;
            var signed = repository.Sign(roleName, keys.Signers());
            var status = repository.Status(roleName);
            n.Line($"  {roleName} v{status.Version}: signed by {string.Join(", ", signed.Select(k => k[..16]))}; {status.ValidSignatures} of {status.Threshold} required{(status.ThresholdMet ? " (threshold met)" : "")}");
            n.WriteJson(StatusJson(status, signed));
            return ExitCodes.Ok;
        }, repo, role);

        leaf("status", "Show the staged roles and how many signatures each still needs.", (n, _, p) =>
        {
            var repository = TufRepository.Open(p.GetValue(repo)!);
            var statuses = repository.StagedRoles.Select(repository.Status).ToList();
            n.Table(["role", "version", "signatures", "threshold"], statuses.Select(s => (IReadOnlyList<string>)[s.Role, s.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), s.ValidSignatures.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
            n.WriteJson(new JsonObject
            {
                ["staged"] = new JsonArray([.. statuses.Select(s => (JsonNode)StatusJson(s, []))]),
                ["timestampVersion"] = repository.PublishedTimestamp?.Signed.Version,
            });
            return ExitCodes.Ok;
        }, repo);

        leaf("publish", "Check every threshold, write the staged metadata and new snapshot and timestamp (signed with this holder's online keys).", (n, keys, p) =>
        {
            var result = TufRepository.Open(p.GetValue(repo)!).Publish(keys.Signers());
            n.Line($"  published root v{result.RootVersion}, targets v{result.TargetsVersion}, snapshot v{result.SnapshotVersion}, timestamp v{result.TimestampVersion}");
            foreach (var file in result.WrittenFiles) n.Line($"    {file}");
            n.WriteJson(new JsonObject
            {
                ["root"] = result.RootVersion,
                ["targets"] = result.TargetsVersion,
                ["snapshot"] = result.SnapshotVersion,
                ["timestamp"] = result.TimestampVersion,
                ["files"] = new JsonArray([.. result.WrittenFiles.Select(f => (JsonNode)JsonValue.Create(f))]),
            });
            return ExitCodes.Ok;
        }, repo);

        leaf("timestamp", "Sign a new timestamp for the current snapshot (refreshes freshness).", (n, keys, p) =>
        {
            var timestamp = TufRepository.Open(p.GetValue(repo)!).RefreshTimestamp(keys.Signers());
            n.Line($"  timestamp v{timestamp.Signed.Version}, expires {RoleMetadata.FormatExpires(timestamp.Signed.Expires)}");
            n.WriteJson(new JsonObject { ["version"] = timestamp.Signed.Version, ["expires"] = RoleMetadata.FormatExpires(timestamp.Signed.Expires) });
            return ExitCodes.Ok;
        }, repo);
    }

    private static void AddKeyCommands(Argument<string> repo, Option<string> role, Option<string> keyType, LeafFactory leaf)
    {
        var oldKey = new Option<string?>("--key") { Description = "Keyid to replace (default: the role's key held in this --home)." };
        leaf("rotate-key", "Replace a role's key with a new one generated in this --home; stages a new root (or targets for a delegated role) to be signed.", (n, keys, p) =>
        {
            var repository = TufRepository.Open(p.GetValue(repo)!);
            var roleName = p.GetValue(role)!;
            var current = RootMetadata.TopLevelRoles.Contains(roleName)
                ? repository.CurrentRoot.RoleFor(roleName).KeyIds
                : repository.CurrentTargets("targets")?.Signed.Delegations?.Roles.FirstOrDefault(r => r.Name == roleName)?.Keys.KeyIds ?? [];
            var held = keys.Signers().Select(s => s.Key.KeyId).ToHashSet(StringComparer.Ordinal);
            var replaced = p.GetValue(oldKey) ?? current.FirstOrDefault(held.Contains)
                ?? throw new UsageException($"this --home holds no {roleName} key; name the key to replace with --key");
            var key = keys.Generate(roleName, KeyType(p.GetValue(keyType)!, roleName), $"TUF {roleName} key rotation");
            var version = repository.RotateKey(roleName, replaced, key);
            n.Line($"  {roleName}: {replaced[..16]} -> {key.KeyId[..16]}; staged v{version}: sign it with the old and new keys, then publish");
            n.WriteJson(new JsonObject { ["role"] = roleName, ["oldKeyid"] = replaced, ["newKeyid"] = key.KeyId, ["stagedVersion"] = version });
            return ExitCodes.Ok;
        }, repo, role, keyType, oldKey);

        var revoked = new Option<string>("--key") { Description = "Keyid to revoke.", Required = true };
        leaf("revoke-key", "Stage a new root that no longer lists a key (and targets, for delegations); a role left below its threshold gets a new key from this --home.", (n, keys, p) =>
        {
            var repository = TufRepository.Open(p.GetValue(repo)!);
            var keyId = p.GetValue(revoked)!;
            var replacements = new Dictionary<string, string>(StringComparer.Ordinal);
            var changed = repository.RevokeKey(keyId, r =>
            {
                var key = keys.Generate(r, KeyType(p.GetValue(keyType)!, RootMetadata.TopLevelRoles.Contains(r) ? r : "targets"), $"TUF {r} key replacing revoked {keyId[..Math.Min(16, keyId.Length)]}");
                replacements[r] = key.KeyId;
                return key;
            });
            var inStore = keys.RevokeInStore(keyId, "revoked from TUF repository");
            n.Line($"  {keyId[..Math.Min(16, keyId.Length)]} removed from {string.Join(", ", changed)}; sign the staged metadata and publish");
            foreach (var (r, k) in replacements) n.Line($"  new {r} key {k[..16]}");
            n.WriteJson(new JsonObject
            {
                ["revoked"] = keyId,
                ["roles"] = new JsonArray([.. changed.Select(c => (JsonNode)JsonValue.Create(c))]),
                ["replacements"] = new JsonObject([.. replacements.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)JsonValue.Create(r.Value)))]),
                ["revokedInKeyStore"] = inStore,
            });
            return ExitCodes.Ok;
        }, repo, revoked, keyType);
    }

    private static Command ServeCommand(Option<bool> json, Func<Func<int>, int> guard, TextWriter output, Argument<string> repo)
    {
        var urls = new Option<string>("--urls") { Description = "Address to listen on.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var serve = new Command("serve", "Serve the published repository over HTTP (/metadata/, /targets/) until stopped.") { repo, urls };
        serve.SetAction(parse => guard(() =>
        {
            using var app = RepositoryHost.Build(parse.GetValue(repo)!, parse.GetValue(urls)!);
            app.Start();
            var narrator = new Narrator(output, parse.GetValue(json));
            var addresses = RepositoryHost.Addresses(app);
            narrator.Line($"  serving {Path.GetFullPath(parse.GetValue(repo)!)} at {string.Join(", ", addresses)} (metadata: /metadata/, targets: /targets/); Ctrl+C stops");
            narrator.WriteJson(new JsonObject { ["urls"] = new JsonArray([.. addresses.Select(a => (JsonNode)JsonValue.Create(a))]) });
            output.Flush();
            app.WaitForShutdown();
            return ExitCodes.Ok;
        }));
        return serve;
    }

    private static JsonObject KeyJson(TufKey key, string role) => new()
    {
        ["role"] = role,
        ["keyid"] = key.KeyId,
        ["keytype"] = key.KeyType,
        ["scheme"] = key.Scheme,
    };

    private static JsonObject StatusJson(SigningStatus status, IReadOnlyList<string> signed) => new()
    {
        ["role"] = status.Role,
        ["version"] = status.Version,
        ["validSignatures"] = status.ValidSignatures,
        ["threshold"] = status.Threshold,
        ["thresholdMet"] = status.ThresholdMet,
        ["signedNow"] = new JsonArray([.. signed.Select(k => (JsonNode)JsonValue.Create(k))]),
    };
}
