using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Trust.Errors;

namespace Enigm.Trust.Transparency;

/// <summary>
/// Knows one log (its id and public key) and checks that a tree head really comes from it: the log id
/// matches, the suite is accepted by policy, and the signature verifies. Stateless; see
/// <see cref="TransparencyClient"/> for the remembered head.
/// </summary>
public sealed class TreeHeadVerifier
{
    private readonly byte[] _logPublicKey;
    private readonly SuitePolicy _policy;
    private readonly CryptoProviders _providers;

    public TreeHeadVerifier(string logId, ReadOnlySpan<byte> logPublicKey, SuitePolicy? policy = null, CryptoProviders? providers = null)
    {
        SignedTreeHead.CheckLogId(logId);
        LogId = logId;
        _logPublicKey = logPublicKey.ToArray();
        _policy = policy ?? SuitePolicy.Default;
        _providers = providers ?? CryptoProviders.Default;
    }

    public string LogId { get; }

    /// <summary>Throws <see cref="TransparencyProofException"/> unless <paramref name="treeHead"/> is signed by this log.</summary>
    public void Verify(SignedTreeHead treeHead)
    {
        ArgumentNullException.ThrowIfNull(treeHead);
        if (!string.Equals(treeHead.LogId, LogId, StringComparison.Ordinal))
            throw new TransparencyProofException($"Tree head is from log '{treeHead.LogId}', not '{LogId}'.");
        treeHead.Verify(_logPublicKey, _policy, _providers);
    }
}
