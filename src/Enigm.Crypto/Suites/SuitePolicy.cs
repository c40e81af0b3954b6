using System.Collections.Immutable;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;

namespace Enigm.Crypto.Suites;

public enum SuiteStatus
{
    /// <summary>Used for new artefacts.</summary>
    Preferred,

    /// <summary>Accepted, not chosen for new artefacts.</summary>
    Allowed,

    /// <summary>Accepted with a warning; migrate away.</summary>
    Deprecated,

    /// <summary>Rejected with <see cref="SuiteRefusedException"/>.</summary>
    Refused,
}

/// <summary>
/// What a verifier accepts, on two levels (docs/crypto-core.md, "Suite policy"). Suites have a status;
/// suites the policy does not mention are refused, so acceptance of a suite is explicit. Algorithms can be
/// refused one by one (after a break of one primitive), and an algorithm refusal applies to the objects
/// that rely on that algorithm, not to whole suites: a key or signature of a refused algorithm alone is
/// refused, while a composite signature or hybrid KEM stays accepted as long as one of its components
/// is (its security holds while either half holds) and it is not refused by name itself. Verifiers call
/// <see cref="Require(ushort, ReadOnlySpan{CryptoAlgorithm})"/> with the algorithms they verify with.
/// Immutable.
/// </summary>
public sealed class SuitePolicy
{
    private readonly ImmutableDictionary<ushort, SuiteStatus> _status;
    private readonly ImmutableHashSet<CryptoAlgorithm> _refusedAlgorithms;

    private SuitePolicy(ImmutableDictionary<ushort, SuiteStatus> status, ImmutableHashSet<CryptoAlgorithm> refusedAlgorithms)
    {
        _status = status;
        _refusedAlgorithms = refusedAlgorithms;
    }

    /// <summary>Suite 1 preferred, suite 2 allowed, no algorithm refused.</summary>
    public static SuitePolicy Default { get; } = new(
        ImmutableDictionary<ushort, SuiteStatus>.Empty
            .Add(SuiteRegistry.Suite1.Id, SuiteStatus.Preferred)
            .Add(SuiteRegistry.Suite2.Id, SuiteStatus.Allowed),
        []);

    /// <summary>The algorithms refused by name, in <see cref="CryptoAlgorithm.All"/> order.</summary>
    public IReadOnlyList<CryptoAlgorithm> RefusedAlgorithms => [.. CryptoAlgorithm.All.Where(_refusedAlgorithms.Contains)];

    public SuitePolicy With(ushort suiteId, SuiteStatus status)
    {
        SuiteRegistry.Get(suiteId);
        var updated = _status;
        if (status == SuiteStatus.Preferred)
        {
            // Only one suite is preferred at a time; the previous one becomes merely allowed.
            foreach (var (id, s) in _status.Where(p => p.Value == SuiteStatus.Preferred))
                updated = updated.SetItem(id, SuiteStatus.Allowed);
        }

        return new SuitePolicy(updated.SetItem(suiteId, status), _refusedAlgorithms);
    }

    /// <summary>
    /// Refuses one algorithm: keys and signatures of it alone, and a composite or hybrid that names it
    /// (refusing id-MLDSA65-Ed25519-SHA512 refuses that composite, refusing Ed25519 does not). A composite
    /// is refused through its components only when all of them are refused.
    /// </summary>
    public SuitePolicy RefuseAlgorithm(CryptoAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        return new(_status, _refusedAlgorithms.Add(algorithm));
    }

    /// <summary>The status the policy gives a known suite (unknown ids throw <see cref="UnknownSuiteException"/>).</summary>
    public SuiteStatus StatusOf(ushort suiteId)
    {
        SuiteRegistry.Get(suiteId);
        return _status.TryGetValue(suiteId, out var status) ? status : SuiteStatus.Refused;
    }

    /// <summary>Whether an object that relies on <paramref name="algorithm"/> is acceptable (see <see cref="RefusalOf"/>).</summary>
    public bool Accepts(CryptoAlgorithm algorithm) => RefusalOf(algorithm) is null;

    /// <summary>
    /// Why the policy refuses objects that rely on <paramref name="algorithm"/>, or null when it accepts
    /// them. Refused: an algorithm refused by name; a composite or hybrid all of whose components are
    /// refused; an algorithm that no suite the policy accepts uses (acceptance stays explicit).
    /// </summary>
    public string? RefusalOf(CryptoAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        if (_refusedAlgorithms.Contains(algorithm))
            return $"{algorithm.Name} is refused by this policy";
        var components = Suite.ComponentsOf(algorithm);
        if (components.Count > 0 && components.All(_refusedAlgorithms.Contains))
            return $"{algorithm.Name} is refused by this policy: all its components ({string.Join(", ", components.Select(c => c.Name))}) are refused";
        if (!SuiteRegistry.All.Any(s => s.Uses(algorithm) && StatusOf(s.Id) != SuiteStatus.Refused))
            return $"{algorithm.Name} belongs to no suite this policy accepts";
        return null;
    }

    /// <summary>
    /// The suite of an object, if the policy accepts the suite and every algorithm in
    /// <paramref name="reliedOn"/> — the algorithms the caller verifies or decrypts this object with.
    /// A refused suite throws <see cref="SuiteRefusedException"/> naming the suite; a refused algorithm
    /// throws it naming that algorithm. Unknown ids throw <see cref="UnknownSuiteException"/>.
    /// </summary>
    public Suite Require(ushort suiteId, params ReadOnlySpan<CryptoAlgorithm> reliedOn)
    {
        var suite = SuiteRegistry.Get(suiteId);
        if (StatusOf(suiteId) == SuiteStatus.Refused) throw new SuiteRefusedException(suite.Id, suite.Name);
        foreach (var algorithm in reliedOn)
        {
            if (RefusalOf(algorithm) is { } reason)
                throw new SuiteRefusedException(suite.Id, algorithm, $"{reason}; this {suite} object relies on it.");
        }

        return suite;
    }

    /// <summary>The suite new artefacts are made with; makers check what they rely on with <see cref="Require"/>.</summary>
    public Suite Preferred =>
        SuiteRegistry.All.FirstOrDefault(s => StatusOf(s.Id) == SuiteStatus.Preferred)
        ?? throw new SuiteRefusedException(0, "no preferred suite in this policy");
}
