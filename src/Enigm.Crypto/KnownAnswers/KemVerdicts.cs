using Enigm.Crypto.Errors;

namespace Enigm.Crypto.KnownAnswers;

/// <summary>
/// How the KEM and key-agreement runners turn one case into a verdict. A typed Enigm error counts as a
/// rejection. <see cref="AlgorithmUnavailableException"/> means the provider cannot run the case at all
/// (for example the BCL has no derandomised encapsulation), so the case is counted as unsupported.
/// Any other exception escaping a provider is a failure, because providers must throw only typed errors.
/// </summary>
internal static class KemVerdicts
{
    /// <summary>The case must succeed; <paramref name="run"/> returns null on a match or a mismatch description.</summary>
    public static void MustMatch(KnownAnswerReport report, string caseId, Func<string?> run)
    {
        try
        {
            var mismatch = run();
            report.Record(mismatch is null, caseId, mismatch);
        }
        catch (AlgorithmUnavailableException)
        {
            report.RecordUnsupported();
        }
        catch (EnigmException e)
        {
            report.Record(false, caseId, $"rejected ({e.Code}): {e.Message}");
        }
        catch (Exception e)
        {
            report.Record(false, caseId, $"untyped {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The case must be rejected with a typed error.</summary>
    public static void MustReject(KnownAnswerReport report, string caseId, Action run)
    {
        try
        {
            run();
            report.Record(false, caseId, "accepted, expected a rejection");
        }
        catch (AlgorithmUnavailableException)
        {
            report.RecordUnsupported();
        }
        catch (EnigmException)
        {
            report.Record(true, caseId);
        }
        catch (Exception e)
        {
            report.Record(false, caseId, $"untyped {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Wycheproof "acceptable": a match or a typed rejection both pass; a wrong value does not.</summary>
    public static void MatchOrReject(KnownAnswerReport report, string caseId, Func<string?> run)
    {
        try
        {
            var mismatch = run();
            report.Record(mismatch is null, caseId, mismatch);
        }
        catch (AlgorithmUnavailableException)
        {
            report.RecordUnsupported();
        }
        catch (EnigmException)
        {
            report.Record(true, caseId);
        }
        catch (Exception e)
        {
            report.Record(false, caseId, $"untyped {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Null when equal, else a short description (lengths and first differing offset; vector data is public).</summary>
    public static string? Compare(string label, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        if (expected.SequenceEqual(actual)) return null;
        if (expected.Length != actual.Length) return $"{label}: length {actual.Length}, expected {expected.Length}";
        return $"{label}: differs from byte {expected.CommonPrefixLength(actual)}";
    }

    /// <summary>The first non-null mismatch, or null.</summary>
    public static string? First(params string?[] mismatches) => mismatches.FirstOrDefault(m => m is not null);
}
