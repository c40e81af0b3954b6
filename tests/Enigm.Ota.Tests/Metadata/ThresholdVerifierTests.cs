using System.Text;
using System.Text.Json;
using Enigm.Crypto.Algorithms;
using Enigm.Ota.Errors;
using Enigm.Ota.Metadata;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Metadata;

public sealed class ThresholdVerifierTests : IDisposable
{
    private readonly List<IDisposable> _keys = [];

    private TufSigner NewSigner(SignatureAlgorithm algorithm)
    {
        var (key, signer) = TestKeys.New(algorithm);
        _keys.Add(key);
        return signer;
    }

    public void Dispose()
    {
        foreach (var key in _keys) key.Dispose();
    }

    private (RootMetadata Root, TufSigner[] Signers) TwoOfThree()
    {
        TufSigner[] signers = [NewSigner(SignatureAlgorithm.Ed25519), NewSigner(SignatureAlgorithm.Ed25519), NewSigner(SignatureAlgorithm.Ed25519)];
        return (TestKeys.Root(signers, 2), signers);
    }

    private static Metadata<TimestampMetadata> SignedTimestamp(params TufSigner[] signers) =>
        signers.Aggregate(Metadata<TimestampMetadata>.Create(TestKeys.Timestamp()), (m, s) => m.Sign(s));

    [Fact]
    public void Two_of_three_passes_with_two_valid_signatures()
    {
        var (root, s) = TwoOfThree();
        var metadata = Metadata<TimestampMetadata>.FromBytes(SignedTimestamp(s[0], s[2]).ToBytes());
        ThresholdVerifier.VerifyThreshold(metadata, root, "timestamp");
        Assert.Equal(2, ThresholdVerifier.CountValidSignatures(metadata, root.RoleFor("timestamp"), root.Keys));
    }

    [Fact]
    public void Two_of_three_fails_with_one_signature()
    {
        var (root, s) = TwoOfThree();
        var e = Assert.Throws<ThresholdNotMetException>(() => ThresholdVerifier.VerifyThreshold(SignedTimestamp(s[1]), root, "timestamp"));
        Assert.Equal(("timestamp", 1, 2), (e.Role, e.ValidSignatures, e.Threshold));
        Assert.Equal("threshold-not-met", e.Code);
    }

    [Fact]
    public void One_bad_signature_among_two_fails_and_among_three_passes()
    {
        var (root, s) = TwoOfThree();
        var two = SignedTimestamp(s[0], s[1]);
        var forged = new TufSignature(s[1].KeyId, Flip(two.Signatures[1].Sig));
        var twoWithBad = two.WithSignature(forged);
        Assert.Throws<ThresholdNotMetException>(() => ThresholdVerifier.VerifyThreshold(twoWithBad, root, "timestamp"));

        var threeWithBad = twoWithBad.Sign(s[2]);
        ThresholdVerifier.VerifyThreshold(threeWithBad, root, "timestamp");
        Assert.Equal(2, ThresholdVerifier.CountValidSignatures(threeWithBad, root.RoleFor("timestamp"), root.Keys));
    }

    [Fact]
    public void Signature_under_another_keyid_does_not_count()
    {
        var (root, s) = TwoOfThree();
        var one = SignedTimestamp(s[0]);
        // s[0]'s valid signature relabelled as s[1]'s: it does not verify under s[1]'s key.
        var relabelled = one.WithSignature(new TufSignature(s[1].KeyId, one.Signatures[0].Sig));
        Assert.Throws<ThresholdNotMetException>(() => ThresholdVerifier.VerifyThreshold(relabelled, root, "timestamp"));
    }

    [Fact]
    public void Duplicate_signatures_from_one_key_count_once()
    {
        var (root, s) = TwoOfThree();
        var one = SignedTimestamp(s[0]);
        var duplicated = Metadata<TimestampMetadata>.FromBytes(one.WithSignatures([one.Signatures[0], one.Signatures[0], one.Signatures[0]]).ToBytes());
        Assert.Equal(3, duplicated.Signatures.Count);
        var e = Assert.Throws<ThresholdNotMetException>(() => ThresholdVerifier.VerifyThreshold(duplicated, root, "timestamp"));
        Assert.Equal(1, e.ValidSignatures);
    }

    [Fact]
    public void One_key_listed_under_two_keyids_counts_once()
    {
        var signer = NewSigner(SignatureAlgorithm.Ed25519);
        var alias = "alias-" + signer.KeyId;
        var keys = new Dictionary<string, TufKey> { [signer.KeyId] = signer.Key, [alias] = signer.Key };
        var role = new RoleKeys([signer.KeyId, alias], 2);
        var signed = SignedTimestamp(signer);
        var both = signed.WithSignature(new TufSignature(alias, signed.Signatures[0].Sig));
        Assert.Throws<ThresholdNotMetException>(() => ThresholdVerifier.VerifyThreshold(both, "timestamp", role, keys));
    }

    [Fact]
    public void Keys_outside_the_role_do_not_count()
    {
        var (root, s) = TwoOfThree();
        var outsider = NewSigner(SignatureAlgorithm.Ed25519);
        var keys = root.Keys.Append(new(outsider.KeyId, outsider.Key)).ToDictionary();
        Assert.Throws<ThresholdNotMetException>(() =>
            ThresholdVerifier.VerifyThreshold(SignedTimestamp(s[0], outsider), "timestamp", root.RoleFor("timestamp"), keys));
    }

    [Fact]
    public void Tampered_signed_content_fails_the_threshold()
    {
        var (root, s) = TwoOfThree();
        var json = Encoding.UTF8.GetString(SignedTimestamp(s[0], s[1]).ToBytes());
        Assert.Contains("\"version\":1}", json, StringComparison.Ordinal);
        var tampered = Metadata<TimestampMetadata>.FromBytes(Encoding.UTF8.GetBytes(json.Replace("\"version\":1}", "\"version\":2}", StringComparison.Ordinal)));
        Assert.Equal(2, tampered.Signed.Version);
        var e = Assert.Throws<ThresholdNotMetException>(() => ThresholdVerifier.VerifyThreshold(tampered, root, "timestamp"));
        Assert.Equal(0, e.ValidSignatures);
    }

    [Fact]
    public void Indented_non_canonical_serialisation_still_verifies()
    {
        var (root, s) = TwoOfThree();
        var canonical = SignedTimestamp(s[0], s[1]).ToBytes();
        using var document = JsonDocument.Parse(canonical);
        var indented = JsonSerializer.SerializeToUtf8Bytes(document.RootElement, new JsonSerializerOptions { WriteIndented = true });
        Assert.NotEqual(canonical, indented);
        ThresholdVerifier.VerifyThreshold(Metadata<TimestampMetadata>.FromBytes(indented), root, "timestamp");
    }

    [Fact]
    public void Unknown_signed_members_are_covered_by_the_signature()
    {
        var signer = NewSigner(SignatureAlgorithm.Ed25519);
        var root = TestKeys.Root([signer], 1);
        var signedJson = new JsonObjectValue(TestKeys.Timestamp().ToJson().Append(new("x-enigm-note", new JsonStringValue("kept"))));
        var sig = signer.Sign(CanonicalJson.Serialize(signedJson));
        var envelope = "{\"signatures\":[{\"keyid\":\"" + sig.KeyId + "\",\"sig\":\"" + sig.Sig + "\"}],\"signed\":"
            + Encoding.UTF8.GetString(CanonicalJson.Serialize(signedJson)) + "}";

        var parsed = Metadata<TimestampMetadata>.FromBytes(Encoding.UTF8.GetBytes(envelope));
        ThresholdVerifier.VerifyThreshold(parsed, root, "timestamp");
        Assert.Contains("x-enigm-note", Encoding.UTF8.GetString(parsed.ToBytes()), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_key_types_are_ignored_not_errors()
    {
        var signer = NewSigner(SignatureAlgorithm.Ed25519);
        var rsa = TufKey.FromJson(CanonicalJson.ParseObject("{\"keytype\":\"rsa\",\"scheme\":\"rsassa-pss-sha256\",\"keyval\":{\"public\":\"PEM\"}}"u8));
        var keys = new Dictionary<string, TufKey> { [signer.KeyId] = signer.Key, [rsa.KeyId] = rsa };
        var signed = SignedTimestamp(signer).WithSignature(new TufSignature(rsa.KeyId, "abcd"));

        ThresholdVerifier.VerifyThreshold(signed, "timestamp", new RoleKeys([rsa.KeyId, signer.KeyId], 1), keys);
        var e = Assert.Throws<ThresholdNotMetException>(() =>
            ThresholdVerifier.VerifyThreshold(signed, "timestamp", new RoleKeys([rsa.KeyId, signer.KeyId], 2), keys));
        Assert.Equal(1, e.ValidSignatures);
    }

    [Fact]
    public void Keyids_missing_from_the_key_set_count_zero()
    {
        var signer = NewSigner(SignatureAlgorithm.Ed25519);
        Assert.Throws<ThresholdNotMetException>(() => ThresholdVerifier.VerifyThreshold(
            SignedTimestamp(signer), "timestamp", new RoleKeys([signer.KeyId], 1), new Dictionary<string, TufKey>()));
    }

    [Fact]
    public void Signing_again_with_the_same_key_replaces_its_signature()
    {
        var signer = NewSigner(SignatureAlgorithm.Ed25519);
        var twice = SignedTimestamp(signer).Sign(signer);
        Assert.Single(twice.Signatures);
    }

    [Fact]
    public void Composite_and_ed25519_keys_meet_a_mixed_threshold()
    {
        var ed = NewSigner(SignatureAlgorithm.Ed25519);
        var composite = NewSigner(SignatureAlgorithm.MlDsa87EcdsaP384);
        var root = TestKeys.Root([ed, composite], 2);
        var metadata = Metadata<TimestampMetadata>.FromBytes(SignedTimestamp(ed, composite).ToBytes());
        ThresholdVerifier.VerifyThreshold(metadata, root, "timestamp");
        Assert.Contains("\"keytype\":\"enigm-composite\"", Encoding.UTF8.GetString(Metadata<RootMetadata>.Create(root).ToBytes()), StringComparison.Ordinal);
    }

    [Fact]
    public void Composite_signature_with_only_its_ml_dsa_part_corrupted_is_rejected()
    {
        var composite = NewSigner(SignatureAlgorithm.MlDsa87EcdsaP384);
        var root = TestKeys.Root([composite], 1);
        var signed = SignedTimestamp(composite);
        ThresholdVerifier.VerifyThreshold(signed, root, "timestamp");

        // draft-ietf-lamps-pq-composite-sigs: the ML-DSA-87 signature comes first (4627 bytes).
        var sig = Convert.FromHexString(signed.Signatures[0].Sig);
        sig[100] ^= 0x01;
        var mlDsaCorrupted = signed.WithSignature(new TufSignature(composite.KeyId, Convert.ToHexStringLower(sig)));
        Assert.Throws<ThresholdNotMetException>(() => ThresholdVerifier.VerifyThreshold(mlDsaCorrupted, root, "timestamp"));

        sig = Convert.FromHexString(signed.Signatures[0].Sig);
        sig[^2] ^= 0x01;
        var ecdsaCorrupted = signed.WithSignature(new TufSignature(composite.KeyId, Convert.ToHexStringLower(sig)));
        Assert.Throws<ThresholdNotMetException>(() => ThresholdVerifier.VerifyThreshold(ecdsaCorrupted, root, "timestamp"));
    }

    [Theory]
    [InlineData("ML-DSA-87")]
    [InlineData("SLH-DSA-SHA2-256s")]
    public void Post_quantum_keys_sign_and_verify(string algorithm)
    {
        var signer = NewSigner(SignatureAlgorithm.All.Single(a => a.Name == algorithm));
        var root = TestKeys.Root([signer], 1);
        var parsedRoot = Metadata<RootMetadata>.FromBytes(Metadata<RootMetadata>.Create(root).ToBytes()).Signed;
        var signed = Metadata<TimestampMetadata>.FromBytes(SignedTimestamp(signer).ToBytes());
        ThresholdVerifier.VerifyThreshold(signed, parsedRoot, "timestamp");

        var tampered = signed.WithSignature(new TufSignature(signer.KeyId, Flip(signed.Signatures[0].Sig)));
        Assert.Throws<ThresholdNotMetException>(() => ThresholdVerifier.VerifyThreshold(tampered, parsedRoot, "timestamp"));
    }

    private static string Flip(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        bytes[0] ^= 0x80;
        return Convert.ToHexStringLower(bytes);
    }
}
