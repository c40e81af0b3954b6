using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Keys;
using Enigm.Keys.Audit;
using Enigm.Keys.Errors;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;
using Enigm.Keys.Revocation;

namespace Enigm.Cli.Commands;

/// <summary><c>enigm keys …</c>: the key lifecycle over the protected store in <c>--home</c>.</summary>
public static class KeysCommand
{
    public static Command Build(Option<bool> json, Func<Func<int>, int> guard, TextWriter output)
    {
        var home = new Option<string?>("--home") { Description = "Store folder (default: $ENIGM_HOME, else ~/.enigm).", Recursive = true };
        var keys = new Command("keys", "Generate, rotate, revoke and destroy keys in the protected key store; verify its audit log.");
        keys.Options.Add(home);
        var id = new Argument<string>("id") { Description = "Key version id (k_….vN) or series id (its newest version)." };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the key and the audit log)." };
        var grace = new Option<string?>("--grace") { Description = "How long the old version may still verify/decrypt, e.g. 7d (default: the purpose's policy)." };

        Command Leaf(string name, string description, Func<Narrator, string?, ParseResult, int> action, params Symbol[] symbols)
        {
            var command = new Command(name, description);
            foreach (var symbol in symbols)
            {
                if (symbol is Argument argument) command.Arguments.Add(argument);
                else command.Options.Add((Option)symbol);
            }

            command.SetAction(parse => guard(() => action(new Narrator(output, parse.GetValue(json)), parse.GetValue(home), parse)));
            keys.Subcommands.Add(command);
            return command;
        }

        var protector = new Option<string>("--protector") { Description = "passphrase (Argon2id) or tpm.", DefaultValueFactory = _ => "passphrase" };
        var argon = new Option<string>("--argon2") { Description = "Argon2id cost: interactive, moderate (default) or sensitive.", DefaultValueFactory = _ => "moderate" };
        var pcrs = new Option<string?>("--pcrs") { Description = "TPM only: bind the sealed KEK to these PCRs, e.g. sha256:0,7." };
        Leaf("init", "Create a key store (and its audit-signing storage key).", (n, h, p) =>
        {
            var created = CreateProtector(p.GetValue(protector)!, p.GetValue(argon)!, p.GetValue(pcrs), KeyStoreSession.ReadPassphrase);
            using var ring = KeyStoreSession.Create(h, created);
            n.Line($"  key store {ring.StoreId} created at {ring.StorePath} (protector: {created.Kind})");
            n.WriteJson(new JsonObject { ["store"] = ring.StoreId, ["path"] = ring.StorePath, ["protector"] = created.Kind });
            return ExitCodes.Ok;
        }, protector, argon, pcrs);

        Leaf("list", "List every key version.", (n, h, _) => WithRing(h, ring =>
        {
            var all = ring.List(out var damaged);
            KeyJson.Print(n, all);
            foreach (var bad in damaged) n.Line($"  DAMAGED {bad}: row failed its integrity check");
            n.WriteJson(new JsonObject { ["keys"] = new JsonArray([.. all.Select(k => (JsonNode)KeyJson.ToJson(k))]), ["damaged"] = new JsonArray([.. damaged.Select(d => (JsonNode)JsonValue.Create(d))]) });
            return damaged.Count == 0 ? ExitCodes.Ok : ExitCodes.KeyIntegrity;
        }));

        Leaf("show", "Show one key.", (n, h, p) => WithRing(h, ring => One(n, ring.Get(p.GetValue(id)!))), id);

        var purpose = new Option<string>("--purpose") { Description = "One of: " + string.Join(", ", Enum.GetValues<KeyPurpose>().Select(x => x.ToName())), Required = true };
        var inactive = new Option<bool>("--inactive") { Description = "Leave the key in pre-activation." };
        var algorithm = new Option<string?>("--algorithm") { Description = "Signature algorithm instead of the suite's (root, release-signing and manifest-signing only): Ed25519, ML-DSA-87, SLH-DSA-SHA2-256s or id-MLDSA87-ECDSA-P384-SHA512." };
        Leaf("generate", "Generate a key for a purpose (the preferred suite's algorithm unless --algorithm).", (n, h, p) => WithRing(h, ring =>
        {
            if (!KeyPurposeNames.TryParse(p.GetValue(purpose)!, out var kp))
                throw new UsageException($"unknown purpose '{p.GetValue(purpose)}'");
            if (p.GetValue(algorithm) is not { } name) return One(n, ring.Generate(kp, !p.GetValue(inactive), p.GetValue(reason)));
            var chosen = SignatureAlgorithm.All.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"unknown signature algorithm '{name}' ({string.Join(", ", SignatureAlgorithm.All.Select(a => a.Name))})");
            return One(n, ring.Generate(kp, chosen, !p.GetValue(inactive), p.GetValue(reason)));
        }), purpose, inactive, reason, algorithm);

        Leaf("activate", "Activate a pre-activation key.", (n, h, p) => WithRing(h, ring => One(n, ring.Activate(p.GetValue(id)!, p.GetValue(reason)))), id, reason);
        Leaf("rotate", "Make a new version active; the old one verifies/decrypts until its grace ends.", (n, h, p) => WithRing(h, ring =>
            One(n, ring.Rotate(p.GetValue(id)!, p.GetValue(reason) ?? "rotation", Duration(p.GetValue(grace))))), id, reason, grace);
        var requiredReason = new Option<string>("--reason") { Description = "Why the key is replaced early.", Required = true };
        Leaf("replace", "Rotate early (e.g. suspected exposure); a reason is required.", (n, h, p) => WithRing(h, ring =>
            One(n, ring.Replace(p.GetValue(id)!, p.GetValue(requiredReason)!, Duration(p.GetValue(grace))))), id, requiredReason, grace);
        var suspendReason = new Option<string>("--reason") { Description = "Why.", Required = true };
        Leaf("suspend", "Suspend a key: no signing or encryption until resumed.", (n, h, p) => WithRing(h, ring => One(n, ring.Suspend(p.GetValue(id)!, p.GetValue(suspendReason)!))), id, suspendReason);
        Leaf("resume", "Resume a suspended key.", (n, h, p) => WithRing(h, ring => One(n, ring.Resume(p.GetValue(id)!, p.GetValue(reason)))), id, reason);

        var revokeReason = new Option<string>("--reason") { Description = "Why (e.g. key compromise).", Required = true };
        var authority = new Option<string?>("--authority") { Description = "Key that signs the statement (default: active root, else the store key)." };
        var statementOut = new Option<string?>("--out") { Description = "Write the signed revocation statement here." };
        Leaf("revoke", "Mark a key compromised and issue a signed revocation statement.", (n, h, p) => WithRing(h, ring =>
        {
            var (record, statement) = ring.Revoke(p.GetValue(id)!, p.GetValue(revokeReason)!, p.GetValue(authority));
            if (p.GetValue(statementOut) is { } path) File.WriteAllBytes(path, statement);
            n.Line($"  revocation statement: {statement.Length} bytes{(p.GetValue(statementOut) is { } f ? $" written to {f}" : "")}");
            n.WriteJson(new JsonObject { ["key"] = KeyJson.ToJson(record), ["statement"] = Convert.ToBase64String(statement) });
            KeyJson.PrintOne(n, record);
            return ExitCodes.Ok;
        }), id, revokeReason, authority, statementOut);

        Leaf("destroy", "Destroy a key's private material (overwritten, removed, store rebuilt).", (n, h, p) => WithRing(h, ring => One(n, ring.Destroy(p.GetValue(id)!, p.GetValue(reason) ?? "destroyed"))), id, reason);

        var within = new Option<string>("--within") { Description = "Horizon, e.g. 30d.", DefaultValueFactory = _ => "30d" };
        Leaf("due", "Keys past or near the end of their cryptoperiod.", (n, h, p) => WithRing(h, ring =>
        {
            var due = ring.Due(Duration(p.GetValue(within))!.Value);
            n.Table(["id", "purpose", "expires", "status"], due.Select(d => (IReadOnlyList<string>)[d.Key.Id, d.Key.Purpose.ToName(), d.Key.ExpiresAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "-", d.Overdue ? "OVERDUE" : "due"]));
            n.WriteJson(new JsonArray([.. due.Select(d => (JsonNode)new JsonObject { ["key"] = KeyJson.ToJson(d.Key), ["overdue"] = d.Overdue })]));
            return ExitCodes.Ok;
        }), within);

        var policyPurpose = new Option<string?>("--purpose") { Description = "Purpose whose rule to change." };
        var period = new Option<string?>("--period") { Description = "New cryptoperiod, e.g. 30d." };
        Leaf("policy", "Show the rotation policy per purpose, or change one purpose's cryptoperiod and grace (--purpose P --period 30d [--grace 7d]).", (n, h, p) => WithRing(h, ring =>
        {
            if (p.GetValue(policyPurpose) is { } name)
            {
                if (!KeyPurposeNames.TryParse(name, out var kp)) throw new UsageException($"unknown purpose '{name}'");
                var current = ring.Rotation.For(kp);
                var rule = new RotationRule(Duration(p.GetValue(period)) ?? current.Cryptoperiod, Duration(p.GetValue(grace)) ?? current.Grace);
                if (rule.Cryptoperiod <= TimeSpan.Zero) throw new UsageException("the cryptoperiod must be positive");
                ring.SetRotationRule(kp, rule);
            }

            var rules = ring.Rotation.Rules.OrderBy(r => r.Key).ToList();
            n.Table(["purpose", "cryptoperiod", "grace"], rules.Select(r => (IReadOnlyList<string>)[r.Key.ToName(), RotationPolicy.FormatDuration(r.Value.Cryptoperiod), RotationPolicy.FormatDuration(r.Value.Grace)]));
            n.WriteJson(new JsonObject([.. rules.Select(r => KeyValuePair.Create(r.Key.ToName(), (JsonNode?)new JsonObject
            {
                ["cryptoperiod"] = RotationPolicy.FormatDuration(r.Value.Cryptoperiod),
                ["grace"] = RotationPolicy.FormatDuration(r.Value.Grace),
            }))]));
            return ExitCodes.Ok;
        }), policyPurpose, period, grace);

        var publicOut = new Option<string>("--out") { Description = "File for the encoded public key.", Required = true };
        Leaf("export-public", "Write a key's public key (versioned CBOR) for offline verifiers.", (n, h, p) => WithRing(h, ring =>
        {
            var key = ring.Get(p.GetValue(id)!);
            var algorithm = Crypto.Algorithms.CryptoAlgorithm.All.First(a => a.Name == key.Algorithm);
            File.WriteAllBytes(p.GetValue(publicOut)!, new CryptoObject(ObjectType.PublicKey, SuiteRegistry.Get(key.SuiteId), algorithm, key.PublicKey).Encode());
            n.Line($"  public key of {key.Id} written to {p.GetValue(publicOut)}");
            n.WriteJson(KeyJson.ToJson(key));
            return ExitCodes.Ok;
        }), id, publicOut);

        Leaf("passwd", "Change the passphrase, its Argon2id cost or the protector (--protector tpm): every key is rewrapped, no plaintext written (new passphrase from ENIGM_NEW_PASSPHRASE or a prompt).", (n, h, p) => WithRing(h, ring =>
        {
            var next = CreateProtector(p.GetValue(protector)!, p.GetValue(argon)!, p.GetValue(pcrs), NewPassphrase);
            ring.ChangeProtector(next);
            n.Line($"  protector is now {next.Kind}; every key rewrapped");
            n.WriteJson(new JsonObject { ["ok"] = true, ["protector"] = next.Kind });
            return ExitCodes.Ok;
        }), protector, argon, pcrs);

        keys.Subcommands.Add(AuditCommand(json, guard, output, home));
        keys.Subcommands.Add(RevocationCommand(json, guard, output));
        return keys;
    }

    private static Command AuditCommand(Option<bool> json, Func<Func<int>, int> guard, TextWriter output, Option<string?> home)
    {
        var audit = new Command("audit", "The store's hash-chained audit log.");
        var file = new Option<string?>("--file") { Description = "Verify an exported copy instead of the store's own log." };
        var verify = new Command("verify", "Verify the hash chain and the signed checkpoints; report the first bad entry.") { file };
        verify.SetAction(parse => guard(() =>
        {
            var n = new Narrator(output, parse.GetValue(json));
            return WithRing(parse.GetValue(home), ring =>
            {
                var (entries, checkpoints) = parse.GetValue(file) is { } path
                    ? AuditExport.FromJson(File.ReadAllText(path))
                    : (ring.AuditEntries(), ring.AuditCheckpoints());
                var result = AuditVerifier.Verify(entries, checkpoints, ring.TrustedCheckpointSigners(), CryptoProviders.Default);
                n.Verdict(result.Ok, result.Ok
                    ? $"audit log verifies: {result.EntriesChecked} entries, {result.CheckpointsChecked} signed checkpoints"
                    : $"audit log fails at entry {result.FirstBadPosition}: {result.Problem}");
                n.WriteJson(new JsonObject
                {
                    ["ok"] = result.Ok,
                    ["entries"] = result.EntriesChecked,
                    ["checkpoints"] = result.CheckpointsChecked,
                    ["firstBadPosition"] = result.FirstBadPosition,
                    ["problem"] = result.Problem,
                });
                return result.Ok ? ExitCodes.Ok : ExitCodes.AuditTampered;
            });
        }));
        var outFile = new Option<string>("--out") { Description = "File to write.", Required = true };
        var export = new Command("export", "Export the log and its checkpoints as JSON.") { outFile };
        export.SetAction(parse => guard(() => WithRing(parse.GetValue(home), ring =>
        {
            File.WriteAllText(parse.GetValue(outFile)!, AuditExport.ToJson(ring.AuditEntries(), ring.AuditCheckpoints()));
            return ExitCodes.Ok;
        })));
        audit.Subcommands.Add(verify);
        audit.Subcommands.Add(export);
        return audit;
    }

    private static Command RevocationCommand(Option<bool> json, Func<Func<int>, int> guard, TextWriter output)
    {
        var statement = new Argument<string>("statement") { Description = "Revocation statement file." };
        var authorityKey = new Option<string>("--authority-key") { Description = "The authority's public key file (from 'keys export-public').", Required = true };
        var verify = new Command("verify", "Verify a revocation statement offline, with only the authority's public key (no store needed).") { statement, authorityKey };
        verify.SetAction(parse => guard(() =>
        {
            var n = new Narrator(output, parse.GetValue(json));
            var key = CryptoObject.DecodePublicKey(ReadBounded(parse.GetValue(authorityKey)!), SuitePolicy.Default, CryptoProviders.Default);
            var verified = RevocationStatements.Verify(ReadBounded(parse.GetValue(statement)!), key.Value, SuitePolicy.Default, CryptoProviders.Default);
            n.Verdict(true, $"key {verified.RevokedKeyId} revoked at {verified.RevokedAt:u} by {verified.AuthorityKeyId}: {verified.Reason}");
            n.WriteJson(new JsonObject
            {
                ["ok"] = true,
                ["revokedKey"] = verified.RevokedKeyId,
                ["revokedAt"] = verified.RevokedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["authority"] = verified.AuthorityKeyId,
                ["reason"] = verified.Reason,
            });
            return ExitCodes.Ok;
        }));
        var revocation = new Command("revocation", "Revocation statements.");
        revocation.Subcommands.Add(verify);
        return revocation;
    }

    private static IKeyProtector CreateProtector(string kind, string argon, string? pcrs, Func<Crypto.Secrets.SecretBytes> passphrase) => kind switch
    {
        "passphrase" => new PassphraseProtector(passphrase, Argon(argon)),
        "tpm" => new TpmProtector(Environment.GetEnvironmentVariable("ENIGM_TPM_TCTI"), pcrs is null ? null : Pcrs(pcrs)),
        _ => throw new UsageException($"unknown protector '{kind}' (passphrase or tpm)"),
    };

    private static TpmPcrSelection Pcrs(string text)
    {
        try
        {
            return TpmPcrSelection.Parse(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new UsageException($"invalid PCR selection '{text}': {e.Message}", e);
        }
    }

    private static int WithRing(string? home, Func<KeyRing, int> action)
    {
        using var ring = KeyStoreSession.Open(home);
        return action(ring);
    }

    private static int One(Narrator n, KeyRecord key)
    {
        KeyJson.PrintOne(n, key);
        n.WriteJson(KeyJson.ToJson(key));
        return ExitCodes.Ok;
    }

    private static TimeSpan? Duration(string? text)
    {
        if (text is null) return null;
        try
        {
            return RotationPolicy.ParseDuration(text);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message, e);
        }
    }

    private static Argon2idSettings Argon(string name) => name switch
    {
        "interactive" => Argon2idSettings.Interactive,
        "moderate" => Argon2idSettings.Moderate,
        "sensitive" => Argon2idSettings.Sensitive,
        _ => throw new UsageException($"unknown Argon2id preset '{name}' (interactive, moderate, sensitive)"),
    };

    private static Crypto.Secrets.SecretBytes NewPassphrase()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("ENIGM_NEW_PASSPHRASE");
        return fromEnvironment is not null
            ? Crypto.Secrets.SecretBytes.TakeOwnership(System.Text.Encoding.UTF8.GetBytes(fromEnvironment))
            : KeyStoreSession.ReadPassphrase();
    }

    /// <summary>Reads an untrusted input file with a size limit (statements and keys are small).</summary>
    private static byte[] ReadBounded(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new MalformedInputException($"{path} does not exist.");
        if (info.Length > CryptoObject.MaxEncodedSize * 4) throw new MalformedInputException($"{path} is larger than any valid input.");
        return File.ReadAllBytes(path);
    }
}
