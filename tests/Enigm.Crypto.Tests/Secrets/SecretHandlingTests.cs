using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Secrets;
using Xunit;

namespace Enigm.Crypto.Tests.Secrets;

public sealed class SecretHandlingTests
{
    [Fact]
    public void SecretBytes_ToString_reveals_only_the_length()
    {
        using var secret = SecretBytes.CopyFrom([0xde, 0xad, 0xbe, 0xef]);
        Assert.Equal("SecretBytes(4 bytes, redacted)", secret.ToString());
    }

    [Fact]
    public void SecretBytes_is_unusable_after_dispose()
    {
        var secret = SecretBytes.CopyFrom([1, 2, 3]);
        secret.Dispose();
        Assert.Throws<ObjectDisposedException>(() => secret.Span.ToArray());
    }

    [Fact]
    public void TakeOwnership_zeroes_the_source_array()
    {
        var source = new byte[] { 9, 9, 9 };
        using var secret = SecretBytes.TakeOwnership(source);
        Assert.All(source, b => Assert.Equal(0, b));
        Assert.True(secret.FixedTimeEquals([9, 9, 9]));
        Assert.False(secret.FixedTimeEquals([9, 9, 8]));
    }

    [Fact]
    public void PrivateKey_ToString_shows_algorithm_and_public_fingerprint_only()
    {
        var material = Enumerable.Repeat((byte)0xab, 32).ToArray();
        using var key = new PrivateKey(KeyAgreementAlgorithm.X25519, SecretBytes.CopyFrom(material), PrivateKeyFormat.Seed, new byte[32]);
        var text = key.ToString();
        Assert.StartsWith("PrivateKey(X25519, pub ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("abab", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AB-AB", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void PrivateKey_dispose_zeroes_and_blocks_use()
    {
        var key = new PrivateKey(KeyAgreementAlgorithm.X25519, SecretBytes.CopyFrom(new byte[32]), PrivateKeyFormat.Seed, new byte[32]);
        key.Dispose();
        Assert.True(key.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => key.ExportPrivateMaterial());
    }
}
