using Enigm.Crypto.Errors;
using Enigm.Trust.Verification;
using Xunit;

namespace Enigm.Trust.Tests.Verification;

public sealed class SafetyNumberQrTests
{
    private static readonly SafetyNumberQr BobShows = new(Fingerprints.Bob, Fingerprints.Alice);

    [Fact]
    public void Round_trips_through_bytes_and_text()
    {
        var fromBytes = SafetyNumberQr.Parse(BobShows.ToBytes());
        var fromText = SafetyNumberQr.ParseText(BobShows.ToText());

        Assert.Equal(BobShows, fromBytes);
        Assert.Equal(BobShows, fromText);
        Assert.Equal(SafetyNumberQr.BinarySize, BobShows.ToBytes().Length);
        Assert.StartsWith(SafetyNumberQr.TextPrefix, BobShows.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Scanning_the_peers_code_matches()
    {
        var scanned = SafetyNumberQr.ParseText(BobShows.ToText());

        Assert.Equal(QrComparison.Match, SafetyNumberQr.Compare(scanned, localAccount: Fingerprints.Alice, peerAccount: Fingerprints.Bob));
    }

    [Fact]
    public void Detects_a_substituted_peer_key()
    {
        // Alice holds Mallory's fingerprint for "Bob" (the server swapped it); Bob's real code disagrees.
        Assert.Equal(QrComparison.PeerFingerprintDiffers, SafetyNumberQr.Compare(BobShows, Fingerprints.Alice, Fingerprints.Mallory));
    }

    [Fact]
    public void Detects_that_the_peer_sees_another_key_for_us()
    {
        var bobSeesMallory = new SafetyNumberQr(Fingerprints.Bob, Fingerprints.Mallory);

        Assert.Equal(QrComparison.PeerSeesDifferentLocalFingerprint, SafetyNumberQr.Compare(bobSeesMallory, Fingerprints.Alice, Fingerprints.Bob));
    }

    [Fact]
    public void Detects_a_code_for_another_pair()
    {
        var other = new SafetyNumberQr(Fingerprints.Of(1), Fingerprints.Of(2));

        Assert.Equal(QrComparison.BothDiffer, SafetyNumberQr.Compare(other, Fingerprints.Alice, Fingerprints.Bob));
    }

    [Fact]
    public void Scanning_our_own_code_back_does_not_match()
    {
        var aliceShows = new SafetyNumberQr(Fingerprints.Alice, Fingerprints.Bob);

        Assert.NotEqual(QrComparison.Match, SafetyNumberQr.Compare(aliceShows, Fingerprints.Alice, Fingerprints.Bob));
    }

    [Fact]
    public void Rejects_truncated_oversized_and_foreign_bytes()
    {
        var bytes = BobShows.ToBytes();

        Assert.Throws<MalformedInputException>(() => SafetyNumberQr.Parse(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Throws<MalformedInputException>(() => SafetyNumberQr.Parse([.. bytes, 0]));
        Assert.Throws<MalformedInputException>(() => SafetyNumberQr.Parse([]));
        var foreign = bytes.ToArray();
        foreign[0] = (byte)'X';
        Assert.Throws<MalformedInputException>(() => SafetyNumberQr.Parse(foreign));
    }

    [Fact]
    public void Rejects_an_unknown_version()
    {
        var bytes = BobShows.ToBytes();
        bytes[4] = 2;

        var e = Assert.Throws<UnsupportedFormatVersionException>(() => SafetyNumberQr.Parse(bytes));
        Assert.Equal(2, e.Version);
    }

    [Theory]
    [InlineData("enigm-sn1:")]
    [InlineData("enigm-sn2:AAAA")]
    [InlineData("enigm-sn1:not base64!")]
    [InlineData("enigm-sn1:A")]
    public void Rejects_bad_text(string text) =>
        Assert.Throws<MalformedInputException>(() => SafetyNumberQr.ParseText(text));

    [Fact]
    public void Rejects_oversized_text_before_decoding() =>
        Assert.Throws<MalformedInputException>(() => SafetyNumberQr.ParseText(SafetyNumberQr.TextPrefix + new string('A', 10_000)));
}
