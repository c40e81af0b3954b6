using Org.BouncyCastle.Crypto.Prng;
using Org.BouncyCastle.Security;

namespace Enigm.Crypto.Providers.BouncyCastle;

/// <summary>
/// A <see cref="SecureRandom"/> that hands out exactly the bytes it was given, then refuses. Used only
/// to pass a known-answer vector's FIPS 204 rnd into BouncyCastle's hedged ML-DSA signer, which draws
/// its 32-byte rnd from the SecureRandom it is initialised with. Asking for more than was supplied
/// throws, so a library that consumed randomness differently could not silently pass.
/// </summary>
internal sealed class FixedRandom(byte[] bytes) : SecureRandom(new RefusingGenerator())
{
    private int _position;

    public override void NextBytes(byte[] buf) => NextBytes(buf.AsSpan());

    public override void NextBytes(byte[] buf, int off, int len) => NextBytes(buf.AsSpan(off, len));

    public override void NextBytes(Span<byte> buffer)
    {
        if (buffer.Length > bytes.Length - _position)
            throw new InvalidOperationException("FixedRandom exhausted: the library asked for more randomness than the vector supplies.");
        bytes.AsSpan(_position, buffer.Length).CopyTo(buffer);
        _position += buffer.Length;
    }

    private sealed class RefusingGenerator : IRandomGenerator
    {
        public void AddSeedMaterial(byte[] seed) { }

        public void AddSeedMaterial(ReadOnlySpan<byte> seed) { }

        public void AddSeedMaterial(long seed) { }

        public void NextBytes(byte[] bytes) => throw new InvalidOperationException("FixedRandom has no generator.");

        public void NextBytes(byte[] bytes, int start, int len) => throw new InvalidOperationException("FixedRandom has no generator.");

        public void NextBytes(Span<byte> bytes) => throw new InvalidOperationException("FixedRandom has no generator.");
    }
}
