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
/// Which suites a verifier accepts. Immutable; a policy can also refuse a single algorithm, which
/// refuses every suite that uses it (for example after a break of one primitive). Suites the policy
/// does not mention are refused: acceptance is explicit.
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

    /// <summary>Suite 1 preferred, suite 2 allowed.</summary>
    public static SuitePolicy Default { get; } = new(
        ImmutableDictionary<ushort, SuiteStatus>.Empty
            .Add(SuiteRegistry.Suite1.Id, SuiteStatus.Preferred)
            .Add(SuiteRegistry.Suite2.Id, SuiteStatus.Allowed),
        []);

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

    public SuitePolicy RefuseAlgorithm(CryptoAlgorithm algorithm) => new(_status, _refusedAlgorithms.Add(algorithm));

    /// <summary>The status of a known suite (unknown ids throw <see cref="UnknownSuiteException"/>).</summary>
    public SuiteStatus StatusOf(ushort suiteId)
    {
        var suite = SuiteRegistry.Get(suiteId);
        if (_refusedAlgorithms.Any(suite.Uses))
            return SuiteStatus.Refused;
        return _status.TryGetValue(suiteId, out var status) ? status : SuiteStatus.Refused;
    }

    /// <summary>
    /// Whether an algorithm is still acceptable on its own (a signature key named by its type, as in
    /// TUF metadata): some known suite that uses it, directly or as half of a composite, is not refused.
    /// </summary>
    public bool Accepts(CryptoAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        return SuiteRegistry.All.Any(s => s.Uses(algorithm) && StatusOf(s.Id) != SuiteStatus.Refused);
    }

    /// <summary>The suite, if the policy accepts it; otherwise a typed error.</summary>
    public Suite Require(ushort suiteId)
    {
        var suite = SuiteRegistry.Get(suiteId);
        return StatusOf(suiteId) == SuiteStatus.Refused ? throw new SuiteRefusedException(suite.Id, suite.Name) : suite;
    }

    /// <summary>The suite new artefacts are made with.</summary>
    public Suite Preferred =>
        SuiteRegistry.All.FirstOrDefault(s => StatusOf(s.Id) == SuiteStatus.Preferred)
        ?? throw new SuiteRefusedException(0, "no preferred suite in this policy");
}
