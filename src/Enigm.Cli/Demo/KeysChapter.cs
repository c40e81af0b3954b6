using System.Diagnostics;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Secrets;
using Enigm.Keys;
using Enigm.Keys.Audit;
using Enigm.Keys.Errors;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;
using Enigm.Keys.Revocation;
using Enigm.Keys.Storage;

namespace Enigm.Cli.Demo;

/// <summary>
/// Chapter 2: key lifecycle and protected storage. A passphrase-protected store, keys of several
/// purposes, a rotation, a revocation verified offline, the audit log verifying — and a tampered
/// copy of the log with the verifier pinpointing the edited entry.
/// </summary>
public sealed class KeysChapter : IDemoChapter
{
    public string Name => "keys";

    public string Title => "Keys: lifecycle, protected storage, audit";

    public void Run(ChapterContext context)
    {
        var folder = Directory.CreateTempSubdirectory("enigm-demo-keys-");
        try
        {
            Story(context, Path.Combine(folder.FullName, "keys.db"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void Story(ChapterContext context, string path)
    {
        var passphrase = "demo passphrase: correct horse battery staple"u8.ToArray();
        var protector = new PassphraseProtector(() => SecretBytes.CopyFrom(passphrase), Argon2idSettings.Interactive);
        var options = new KeyRingOptions { Providers = context.Providers, SuitePolicy = context.Policy };

        context.Step($"Create a key store under a passphrase ({Argon2idSettings.Interactive}) in a temporary folder");
        var clock = Stopwatch.StartNew();
        using var ring = KeyRing.Create(path, protector, options);
        context.Info($"store {ring.StoreId} created in {clock.ElapsedMilliseconds} ms (includes Argon2id and the store's signing key)");

        context.Step("Generate keys of several purposes (each with the suite's algorithm for that purpose)");
        var device = ring.Generate(KeyPurpose.DeviceSigning);
        var release = ring.Generate(KeyPurpose.ReleaseSigning);
        var prekey = ring.Generate(KeyPurpose.SignedPrekey);
        var kem = ring.Generate(KeyPurpose.KemPrekey);
        foreach (var k in new[] { device, release, prekey, kem })
            context.Info($"{k.Id}  {k.Purpose.ToName(),-16} {k.Algorithm,-30} expires {k.ExpiresAt:yyyy-MM-dd}");
        context.Check("no private key byte appears in the store file (each key, unwrapped with the KEK, is nowhere in it)", () => NoPrivateBytesOnDisk(path, protector));

        context.Step($"Rotate the release key {release.Id}");
        var signedBefore = ring.Sign(release.Id, "release 1.0 manifest"u8);
        var next = ring.Rotate(release.Id);
        context.Info($"new version {next.Id} active; {release.Id} deactivated, verifies until {ring.Get(release.Id).GraceUntil:yyyy-MM-dd}");
        context.Check("after rotation the old version still verifies what it signed", () => ring.Verify(release.Id, "release 1.0 manifest"u8, signedBefore));
        context.Rejects<KeyUsageDeniedException>("after rotation the old version refuses to sign", () => ring.Sign(release.Id, "release 1.1 manifest"u8));
        context.Check("the new version signs", () => ring.Sign(next.Id, "release 1.1 manifest"u8).Length > 0);

        context.Step($"Revoke the device key {device.Id} (suspected compromise); the store key signs the statement");
        var (_, statement) = ring.Revoke(device.Id, "device reported stolen");
        var storageKey = ring.List().Single(k => k.Purpose == KeyPurpose.Storage);
        var authorityPublic = new CryptoObject(ObjectType.PublicKey, context.Policy.Preferred, SignatureAlgorithm.MlDsa65Ed25519, storageKey.PublicKey).Encode();
        context.Info($"revocation statement {statement.Length} bytes; authority public key {authorityPublic.Length} bytes");
        context.Check("a third party verifies the statement offline with only the authority's public key", () =>
        {
            var key = CryptoObject.DecodePublicKey(authorityPublic, context.Policy, context.Providers);
            var verified = RevocationStatements.Verify(statement, key.Value, context.Policy, context.Providers);
            return verified.RevokedKeyId == device.Id && RevocationStatements.Concerns(verified, device.PublicKey);
        });
        context.Check("a statement with one flipped bit is rejected", () =>
        {
            var tampered = (byte[])statement.Clone();
            tampered[tampered.Length / 2] ^= 0x08;
            try
            {
                RevocationStatements.Verify(tampered, storageKey.PublicKey, context.Policy, context.Providers);
                return false;
            }
            catch (EnigmException)
            {
                return true;
            }
        });
        context.Rejects<KeyUsageDeniedException>("the revoked key neither signs nor verifies", () => ring.Verify(device.Id, "x"u8, new byte[8]));

        context.Step("Reopen with a wrong passphrase, then the right one");
        ring.Dispose();
        var wrong = new PassphraseProtector(() => SecretBytes.CopyFrom("not the passphrase"u8), Argon2idSettings.Interactive);
        var before = File.ReadAllBytes(path);
        context.Rejects<WrongPassphraseException>("a wrong passphrase is refused", () => KeyRing.Open(path, _ => wrong, options).Dispose());
        context.Check("the refused attempt left the store file byte-for-byte unchanged", () => before.AsSpan().SequenceEqual(File.ReadAllBytes(path)));
        using var reopened = KeyRing.Open(path, _ => protector, options);

        context.Step("Verify the audit log: hash chain plus checkpoints signed by the store key");
        var entries = reopened.AuditEntries();
        var checkpoints = reopened.AuditCheckpoints();
        foreach (var e in entries.TakeLast(4)) context.Info($"#{e.Sequence} {e.Event,-10} {e.KeyId}");
        context.Check($"the audit log verifies ({entries.Count} entries, {checkpoints.Count} checkpoints)", () => reopened.VerifyAudit().Ok);

        context.Step("Tamper a copy of the log: turn entry 'revoked' into 'suspended'");
        var revokedEntry = entries.First(e => e.Event == "revoked");
        var json = AuditExport.ToJson(entries, checkpoints);
        var tampered = json.Replace("\"revoked\"", "\"suspended\"", StringComparison.Ordinal);
        var (forgedEntries, forgedCheckpoints) = AuditExport.FromJson(tampered);
        var result = AuditVerifier.Verify(forgedEntries, forgedCheckpoints, reopened.TrustedCheckpointSigners(), context.Providers);
        context.Info($"verifier: {(result.Ok ? "ok" : $"fails at entry {result.FirstBadPosition}: {result.Problem}")}");
        context.Check($"the verifier pinpoints the edited entry (#{revokedEntry.Sequence})", () => !result.Ok && result.FirstBadPosition == revokedEntry.Sequence);
    }

    /// <summary>
    /// Reads the store as an outsider would — the SQLite file through <see cref="SqliteKeyStore"/>, the KEK
    /// through the protector the demo already holds — unwraps every stored key and looks for any 16-byte
    /// window of it in the file: what is stored must be ciphertext only.
    /// </summary>
    private static bool NoPrivateBytesOnDisk(string path, PassphraseProtector protector)
    {
        var disk = File.ReadAllBytes(path);
        using var store = SqliteKeyStore.Open(path);
        using var kek = protector.Unlock(store.Protector);
        var rows = store.Keys().Where(r => r.Wrapped is not null).ToList();
        return rows.Count > 0 && rows.All(row =>
        {
            var k = row.Record;
            using var material = KeyWrapping.Unwrap(kek, row.Wrapped!, new WrapContext(store.StoreId, k.Id, k.Purpose.ToName(), k.Version, k.Algorithm, k.SuiteId));
            var secret = material.Span[1..];
            for (var offset = 0; offset + 16 <= secret.Length; offset += 8)
            {
                if (disk.AsSpan().IndexOf(secret.Slice(offset, 16)) >= 0) return false;
            }

            return true;
        });
    }
}
