using Enigm.Crypto.Errors;
using Enigm.Trust.Accounts;

namespace Enigm.Trust.Verification;

/// <summary>Why a scanned safety-number QR code does or does not match.</summary>
public enum QrComparison
{
    /// <summary>Both fingerprints agree: the contact can be marked verified.</summary>
    Match,

    /// <summary>The scanned code is the peer's, but the peer sees a different fingerprint for this account.</summary>
    PeerSeesDifferentLocalFingerprint,

    /// <summary>The scanned code's own fingerprint is not the one this side holds for the peer (key substituted).</summary>
    PeerFingerprintDiffers,

    /// <summary>Neither fingerprint matches: the code belongs to another pair of accounts.</summary>
    BothDiffer,
}

/// <summary>
/// The scannable form of a safety number (the role of Signal's <c>ScannableFingerprint</c>): it carries
/// both fingerprints rather than the digits, so the scanner can say which side differs. Binary form
/// (69 bytes): "ENSQ" ‖ version (u8, 1) ‖ displayer's own fingerprint (32) ‖ the fingerprint the
/// displayer holds for its peer (32). Text form (for QR libraries that take text): "enigm-sn1:" ‖
/// base64url(binary, unpadded). Public data.
/// </summary>
public sealed record SafetyNumberQr(AccountFingerprint Own, AccountFingerprint Peer)
{
    public const byte Version = 1;

    public const int BinarySize = 4 + 1 + (2 * AccountFingerprint.Length);

    public const string TextPrefix = "enigm-sn1:";

    /// <summary>Parsers refuse text longer than this before decoding anything.</summary>
    public const int MaxTextLength = 256;

    private static ReadOnlySpan<byte> Magic => "ENSQ"u8;

    public byte[] ToBytes()
    {
        var bytes = new byte[BinarySize];
        Magic.CopyTo(bytes);
        bytes[4] = Version;
        Own.Bytes.CopyTo(bytes.AsSpan(5));
        Peer.Bytes.CopyTo(bytes.AsSpan(5 + AccountFingerprint.Length));
        return bytes;
    }

    public string ToText() => TextPrefix + Base64Url.Encode(ToBytes());

    /// <summary>Parses the binary form; <see cref="MalformedInputException"/> or <see cref="UnsupportedFormatVersionException"/> on bad input.</summary>
    public static SafetyNumberQr Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 5 || !bytes[..4].SequenceEqual(Magic))
            throw new MalformedInputException("Not an Enigm safety-number code.");
        if (bytes[4] != Version) throw new UnsupportedFormatVersionException(bytes[4]);
        if (bytes.Length != BinarySize)
            throw new MalformedInputException($"A safety-number code is {BinarySize} bytes, not {bytes.Length}.");
        return new SafetyNumberQr(
            new AccountFingerprint(bytes.Slice(5, AccountFingerprint.Length)),
            new AccountFingerprint(bytes.Slice(5 + AccountFingerprint.Length, AccountFingerprint.Length)));
    }

    /// <summary>Parses the text form.</summary>
    public static SafetyNumberQr ParseText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxTextLength) throw new MalformedInputException($"Safety-number code text exceeds {MaxTextLength} characters.");
        if (!text.StartsWith(TextPrefix, StringComparison.Ordinal))
            throw new MalformedInputException($"A safety-number code starts with '{TextPrefix}'.");
        return Parse(Base64Url.Decode(text.AsSpan(TextPrefix.Length), "safety-number code"));
    }

    /// <summary>
    /// The scanner's check: the scanned code was made by the peer, so its <see cref="Own"/> must be the
    /// fingerprint we hold for the peer and its <see cref="Peer"/> must be ours.
    /// </summary>
    public static QrComparison Compare(SafetyNumberQr scanned, AccountFingerprint localAccount, AccountFingerprint peerAccount)
    {
        ArgumentNullException.ThrowIfNull(scanned);
        ArgumentNullException.ThrowIfNull(localAccount);
        ArgumentNullException.ThrowIfNull(peerAccount);
        var peerMatches = scanned.Own.Equals(peerAccount);
        var localMatches = scanned.Peer.Equals(localAccount);
        return (peerMatches, localMatches) switch
        {
            (true, true) => QrComparison.Match,
            (true, false) => QrComparison.PeerSeesDifferentLocalFingerprint,
            (false, true) => QrComparison.PeerFingerprintDiffers,
            _ => QrComparison.BothDiffer,
        };
    }
}
