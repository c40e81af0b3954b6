using Enigm.Crypto.Algorithms;

namespace Enigm.Crypto.KnownAnswers;

/// <summary>Counts of one known-answer run. A run that executed no vector is a failure.</summary>
public sealed class KnownAnswerReport(string set, CryptoAlgorithm algorithm, string provider)
{
    private const int MaxRecordedFailures = 20;
    private readonly List<string> _failures = [];

    public string Set { get; } = set;

    public CryptoAlgorithm Algorithm { get; } = algorithm;

    public string Provider { get; } = provider;

    public int Passed { get; private set; }

    public int Failed { get; private set; }

    /// <summary>Cases outside what Enigm supports (e.g. a 64-bit GCM nonce) that were rejected as such.</summary>
    public int Unsupported { get; private set; }

    public IReadOnlyList<string> Failures => _failures;

    public int Total => Passed + Failed + Unsupported;

    public bool Succeeded => Failed == 0 && Passed > 0;

    /// <summary>Records the verdict for one case; <paramref name="ok"/> means the file's expectation held.</summary>
    public void Record(bool ok, string caseId, string? detail = null)
    {
        if (ok)
        {
            Passed++;
            return;
        }

        Failed++;
        if (_failures.Count < MaxRecordedFailures)
            _failures.Add(detail is null ? caseId : $"{caseId}: {detail}");
    }

    public void RecordUnsupported() => Unsupported++;

    public override string ToString() =>
        $"{Set} [{Algorithm.Name} / {Provider}]: {Passed} passed, {Failed} failed, {Unsupported} unsupported";
}
