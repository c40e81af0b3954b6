using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;

namespace Enigm.Trust.Tests.Transparency.Support;

/// <summary>
/// Log signing keys (suite 1: id-MLDSA65-Ed25519-SHA512), generated once per test run and shared by test
/// classes running in parallel (a PrivateKey may sign on several threads at once).
/// </summary>
internal static class LogKeys
{
    private static readonly Lazy<PrivateKey> SharedLog = new(() => Scheme.GenerateKey());
    private static readonly Lazy<PrivateKey> SharedOther = new(() => Scheme.GenerateKey());

    public static ISignatureScheme Scheme => CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519);

    public static PrivateKey Log => SharedLog.Value;

    /// <summary>A key that is not the log's.</summary>
    public static PrivateKey Other => SharedOther.Value;

    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_000);
}
