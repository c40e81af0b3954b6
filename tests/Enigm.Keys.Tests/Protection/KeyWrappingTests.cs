using System.Security.Cryptography;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Errors;
using Enigm.Keys.Protection;
using Xunit;

namespace Enigm.Keys.Tests.Protection;

public sealed class KeyWrappingTests
{
    private static readonly WrapContext Context = new("store-1", "k1.v1", "release-signing", 1, "ML-DSA-87", 3);

    private static SecretBytes NewKek() => SecretBytes.TakeOwnership(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Unwrap_returns_the_wrapped_material()
    {
        using var kek = NewKek();
        var material = RandomNumberGenerator.GetBytes(4896);

        var wrapped = KeyWrapping.Wrap(kek, material, Context);
        using var unwrapped = KeyWrapping.Unwrap(kek, wrapped, Context);

        Assert.Equal(material, unwrapped.Span.ToArray());
        Assert.Equal(12, wrapped.Nonce.Length);
        Assert.Equal(material.Length + 16, wrapped.Ciphertext.Length);
        Assert.False(wrapped.Ciphertext.AsSpan().IndexOf(material.AsSpan(0, 32)) >= 0);
    }

    [Fact]
    public void Each_wrap_uses_a_fresh_nonce()
    {
        using var kek = NewKek();
        var material = new byte[32];

        var first = KeyWrapping.Wrap(kek, material, Context);
        var second = KeyWrapping.Wrap(kek, material, Context);

        Assert.NotEqual(first.Nonce, second.Nonce);
        Assert.NotEqual(first.Ciphertext, second.Ciphertext);
    }

    public static TheoryData<string, WrapContext> ChangedContexts() => new()
    {
        { "store id", Context with { StoreId = "store-2" } },
        { "key id", Context with { KeyId = "k2.v1" } },
        { "purpose", Context with { Purpose = "root" } },
        { "version", Context with { Version = 2 } },
        { "algorithm", Context with { Algorithm = "Ed25519" } },
        { "suite", Context with { SuiteId = 4 } },
    };

    [Theory]
    [MemberData(nameof(ChangedContexts))]
    public void Rejects_a_row_presented_under_another_context(string field, WrapContext other)
    {
        using var kek = NewKek();
        var wrapped = KeyWrapping.Wrap(kek, RandomNumberGenerator.GetBytes(64), Context);

        var error = Assert.Throws<KeyIntegrityException>(() => KeyWrapping.Unwrap(kek, wrapped, other));

        Assert.Equal(other.KeyId, error.KeyId);
        Assert.False(string.IsNullOrEmpty(field));
    }

    [Fact]
    public void Associated_data_is_deterministic_and_covers_every_field()
    {
        var reference = KeyWrapping.AssociatedData(Context);
        Assert.Equal(reference, KeyWrapping.AssociatedData(Context with { }));
        foreach (var (_, other) in ChangedContexts().Select(row => ((string)row[0], (WrapContext)row[1])))
            Assert.NotEqual(reference, KeyWrapping.AssociatedData(other));
    }

    [Fact]
    public void Rejects_a_tampered_nonce()
    {
        using var kek = NewKek();
        var wrapped = KeyWrapping.Wrap(kek, RandomNumberGenerator.GetBytes(64), Context);
        var nonce = (byte[])wrapped.Nonce.Clone();
        nonce[0] ^= 1;

        Assert.Throws<KeyIntegrityException>(() => KeyWrapping.Unwrap(kek, wrapped with { Nonce = nonce }, Context));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(40)]
    [InlineData(79)]
    public void Rejects_a_tampered_ciphertext_or_tag(int position)
    {
        using var kek = NewKek();
        var wrapped = KeyWrapping.Wrap(kek, RandomNumberGenerator.GetBytes(64), Context);
        var ciphertext = (byte[])wrapped.Ciphertext.Clone();
        ciphertext[position] ^= 0x80;

        Assert.Throws<KeyIntegrityException>(() => KeyWrapping.Unwrap(kek, wrapped with { Ciphertext = ciphertext }, Context));
    }

    [Theory]
    [InlineData(0, 80)]
    [InlineData(11, 80)]
    [InlineData(13, 80)]
    [InlineData(12, 16)]
    [InlineData(12, 79)]
    [InlineData(12, 0)]
    public void Rejects_impossible_lengths_with_the_key_id(int nonceLength, int ciphertextLength)
    {
        using var kek = NewKek();
        var wrapped = KeyWrapping.Wrap(kek, RandomNumberGenerator.GetBytes(64), Context);
        var resized = new WrappedKey(
            wrapped.Nonce.AsSpan(0, Math.Min(nonceLength, 12)).ToArray().Concat(new byte[Math.Max(0, nonceLength - 12)]).ToArray(),
            wrapped.Ciphertext.AsSpan(0, ciphertextLength).ToArray());

        var error = Assert.Throws<KeyIntegrityException>(() => KeyWrapping.Unwrap(kek, resized, Context));
        Assert.Equal(Context.KeyId, error.KeyId);
    }

    [Fact]
    public void Rejects_another_kek()
    {
        using var kek = NewKek();
        using var other = NewKek();
        var wrapped = KeyWrapping.Wrap(kek, RandomNumberGenerator.GetBytes(64), Context);

        Assert.Throws<KeyIntegrityException>(() => KeyWrapping.Unwrap(other, wrapped, Context));
    }

    [Fact]
    public void Refuses_a_kek_of_the_wrong_size_and_empty_material()
    {
        using var shortKek = SecretBytes.CopyFrom(new byte[16]);
        using var kek = NewKek();

        Assert.Throws<ArgumentException>(() => KeyWrapping.Wrap(shortKek, new byte[32], Context));
        Assert.Throws<ArgumentOutOfRangeException>(() => KeyWrapping.Wrap(kek, [], Context));
    }
}
