using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Fuzz;
using Enigm.Keys.Audit;
using Xunit;
using Xunit.Abstractions;

namespace Enigm.Crypto.Tests.Fuzz;

/// <summary>
/// Replays the committed fuzz corpus (fuzz/corpus/&lt;target&gt;/), freshly generated seeds and
/// deterministic mutants of both (bit flips, truncations, appended bytes) through the same target
/// functions afl-fuzz runs. Every input must be accepted or rejected with an
/// <see cref="EnigmException"/>; anything else is the bug a fuzzer would have reported.
/// </summary>
public sealed class FuzzCorpusReplayTests(ITestOutputHelper output)
{
    public static TheoryData<string> TargetNames => [.. FuzzTargets.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(TargetNames))]
    public void Corpus_seeds_and_mutants_are_accepted_or_rejected_with_typed_errors(string name)
    {
        var target = FuzzTargets.Find(name)!;
        target.Prepare();
        var committed = Directory.EnumerateFiles(CorpusFolder(name)).Order(StringComparer.Ordinal)
            .Select(f => (Label: Path.GetFileName(f), Bytes: File.ReadAllBytes(f)));
        var generated = target.Seeds().Select(s => (Label: "generated " + s.Label, s.Bytes));

        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (label, seed) in committed.Concat(generated))
        {
            foreach (var (mutation, bytes) in Mutations.Of(seed).Prepend(("seed", seed)))
            {
                string outcome;
                try
                {
                    outcome = target.Execute(bytes);
                }
                catch (Exception e) when (e is not EnigmException)
                {
                    Assert.Fail($"{name}: {label} [{mutation}] threw {e.GetType().Name}: {e.Message}\ninput={Convert.ToHexStringLower(bytes)}\n{e}");
                    throw;
                }

                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
        }

        output.WriteLine($"{name}: {string.Join(", ", outcomes.Select(p => $"{p.Key}={p.Value}"))}");
        Assert.True(outcomes.Values.Sum() > 0);
    }

    [Theory]
    [MemberData(nameof(TargetNames))]
    public void Every_target_has_a_committed_seed_corpus(string name) =>
        Assert.NotEmpty(Directory.EnumerateFiles(CorpusFolder(name)));

    [Theory]
    [InlineData("header")]
    [InlineData("header-cbor")]
    [InlineData("cbor-object")]
    public void Encoding_targets_accept_their_valid_seeds(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var valid = target.Seeds().Where(s => s.Label.Contains("suite1", StringComparison.Ordinal) && !s.Label.Contains("v2", StringComparison.Ordinal)
            && !s.Label.Contains("type200", StringComparison.Ordinal) && !s.Label.Contains("not-in-suite", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(valid);
        Assert.All(valid, s => Assert.Equal(FuzzTarget.Accepted, target.Execute(s.Bytes)));
    }

    [Theory]
    [InlineData("revocation", "suite1-mlkem")]
    [InlineData("revocation", "suite2-signing")]
    [InlineData("revocation", "suite1-unicode-reason")]
    [InlineData("passphrase-descriptor", "test")]
    [InlineData("passphrase-descriptor", "sensitive")]
    [InlineData("tpm-descriptor", "no-pcrs")]
    [InlineData("tpm-descriptor", "sha256-0-7")]
    [InlineData("tpm-descriptor", "sha1-all")]
    [InlineData("audit-export", "checkpointed-ed25519")]
    [InlineData("audit-export", "checkpointed-composite")]
    public void Keys_targets_accept_their_valid_seeds(string name, string label)
    {
        var target = FuzzTargets.Find(name)!;
        target.Prepare();
        var seed = Assert.Single(target.Seeds(), s => s.Label == label);
        Assert.Equal(FuzzTarget.Accepted, target.Execute(seed.Bytes));
    }

    [Theory]
    [InlineData("revocation", "untrusted-authority", "revocation-invalid")]
    [InlineData("revocation", "suite3-header", "unknown-suite")]
    [InlineData("revocation", "short-signature", "signature-invalid")]
    [InlineData("passphrase-descriptor", "parallelism-4", "malformed-input")]
    [InlineData("passphrase-descriptor", "memory-over-limit", "malformed-input")]
    [InlineData("tpm-descriptor", "unsorted-pcrs", "malformed-input")]
    [InlineData("tpm-descriptor", "bank-md5", "malformed-input")]
    [InlineData("audit-export", "lone-surrogate-detail", "malformed-input")]
    [InlineData("audit-export", "duplicate-property", "malformed-input")]
    public void Keys_targets_reject_their_near_miss_seeds_with_the_documented_error(string name, string label, string code)
    {
        var target = FuzzTargets.Find(name)!;
        target.Prepare();
        var seed = Assert.Single(target.Seeds(), s => s.Label == label);
        Assert.Equal(code, target.Execute(seed.Bytes));
    }

    /// <summary>
    /// The audit seeds are built by the harness from docs/keys-audit.md (chain hash, checkpoint message);
    /// Enigm.Keys must agree, or the fuzzer would never reach the "intact log" paths.
    /// </summary>
    [Theory]
    [InlineData("checkpointed-ed25519", 2)]
    [InlineData("checkpointed-composite", 1)]
    [InlineData("no-checkpoints", 0)]
    public void Audit_seeds_built_by_the_harness_verify_as_intact_in_Enigm_Keys(string label, long checkpoints)
    {
        var seed = Assert.Single(FuzzTargets.Find("audit-export")!.Seeds(), s => s.Label == label);
        var (entries, read) = AuditExport.FromJson(System.Text.Encoding.UTF8.GetString(seed.Bytes));
        var signers = read.GroupBy(c => c.SignerKeyId).ToDictionary(g => g.Key, g => g.First().SignerPublicKey);

        var verdict = AuditVerifier.Verify(entries, read, signers, CryptoProviders.Default);

        Assert.True(verdict.Ok, verdict.Problem);
        Assert.Equal(checkpoints, verdict.CheckpointsChecked);
    }

    [Theory]
    [InlineData("tampered-detail")]
    [InlineData("truncated-after-checkpoint")]
    [InlineData("untrusted-signer")]
    public void Audit_tampered_seeds_are_reported_as_tampered(string label)
    {
        var seed = Assert.Single(FuzzTargets.Find("audit-export")!.Seeds(), s => s.Label == label);
        var (entries, read) = AuditExport.FromJson(System.Text.Encoding.UTF8.GetString(seed.Bytes));
        var trusted = read.Where(c => c.SignerKeyId.StartsWith("fuzz-", StringComparison.Ordinal)).GroupBy(c => c.SignerKeyId).ToDictionary(g => g.Key, g => g.First().SignerPublicKey);

        var verdict = AuditVerifier.Verify(entries, read, trusted, CryptoProviders.Default);

        Assert.False(verdict.Ok);
        Assert.NotNull(verdict.FirstBadPosition);
    }

    [Fact]
    public void Signature_target_rejects_empty_input_with_a_typed_error() =>
        Assert.Equal("malformed-input", FuzzTargets.Find("signature")!.Execute([]));

    [Fact]
    public void Mutations_are_deterministic_and_cover_truncation_flips_and_extension()
    {
        byte[] seed = [.. Enumerable.Range(0, 200).Select(i => (byte)i)];
        var first = Mutations.Of(seed).ToList();
        var second = Mutations.Of(seed).ToList();

        Assert.Equal(first.Select(m => m.Label), second.Select(m => m.Label));
        Assert.All(first.Zip(second), p => Assert.Equal(p.First.Bytes, p.Second.Bytes));
        Assert.Contains(first, m => m.Bytes.Length == 0);
        Assert.Contains(first, m => m.Bytes.Length == seed.Length + 1);
        Assert.Contains(first, m => m.Bytes.Length == seed.Length && !m.Bytes.SequenceEqual(seed));
    }

    [Fact]
    public void Replay_reports_an_untyped_exception_as_a_crash_with_its_input()
    {
        var crashing = new FuzzTarget("planted", "throws on 0x42", () => { }, input =>
        {
            if (input.Length > 0 && input[0] == 0x42) throw new IndexOutOfRangeException("planted");
            throw new MalformedInputException("rejected");
        }, () => []);
        var folder = Directory.CreateTempSubdirectory("enigm-fuzz-replay-");
        try
        {
            File.WriteAllBytes(Path.Combine(folder.FullName, "a"), [0x41]);
            File.WriteAllBytes(Path.Combine(folder.FullName, "b"), [0x42, 0x01]);
            using var writer = new StringWriter();

            var status = Replay.Run(crashing, [folder.FullName], mutate: false, writer);

            Assert.Equal(1, status);
            Assert.Contains("CRASH planted", writer.ToString(), StringComparison.Ordinal);
            Assert.Contains("input=4201", writer.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string CorpusFolder(string target)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Enigm.slnx")))
                return Path.Combine(dir.FullName, "fuzz", "corpus", target);
        }

        throw new DirectoryNotFoundException("Enigm.slnx not found above the test binaries.");
    }
}
