using Enigm.Crypto.Algorithms;

namespace Enigm.Crypto.Providers;

/// <summary>Names of the providers, as reported by <c>enigm selftest</c> and accepted by overrides.</summary>
public static class ProviderNames
{
    /// <summary>System.Security.Cryptography (OpenSSL on Linux, CNG on Windows).</summary>
    public const string Bcl = "bcl";

    /// <summary>libsodium 1.0.22 native, through NSec or P/Invoke.</summary>
    public const string Libsodium = "libsodium";

    /// <summary>BouncyCastle.Cryptography (managed).</summary>
    public const string BouncyCastle = "bouncycastle";

    /// <summary>A standard construction that Enigm assembles from the selected component providers.</summary>
    public const string Composed = "composed";
}

/// <summary>
/// One implementation of one algorithm. <see cref="Rank"/> orders candidates, lowest first: native
/// platform code before native libsodium before managed code, as measured in docs/benchmarks.md.
/// </summary>
public sealed record ProviderCandidate(
    CryptoAlgorithm Algorithm,
    string Provider,
    int Rank,
    Func<bool> IsSupported,
    Func<CryptoProviders, object> Create);
