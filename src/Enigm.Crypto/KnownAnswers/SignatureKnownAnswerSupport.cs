using Enigm.Crypto.Errors;

namespace Enigm.Crypto.KnownAnswers;

/// <summary>Verdict bookkeeping shared by the signature known-answer runners.</summary>
internal static class SignatureKnownAnswerSupport
{
    /// <summary>
    /// Runs one case. The check returns true (expectation held), false (it did not) or null (the
    /// provider cannot express the case: counted as unsupported). An exception is a failed case
    /// unless <paramref name="rejectionExpected"/> and it is one of Enigm's typed errors.
    /// </summary>
    public static void Run(KnownAnswerReport report, string caseId, Func<bool?> check, bool rejectionExpected = false, string? detail = null)
    {
        bool? verdict;
        string? failure = detail;
        try
        {
            verdict = check();
        }
        catch (EnigmException) when (rejectionExpected)
        {
            verdict = true;
        }
        catch (Exception e)
        {
            verdict = false;
            failure = $"{e.GetType().Name}: {e.Message}";
        }

        if (verdict is null) report.RecordUnsupported();
        else report.Record(verdict.Value, caseId, verdict.Value ? null : failure);
    }

    /// <summary>True when verification refuses: false, or a typed error (an undecodable key, for example).</summary>
    public static bool Rejects(Func<bool> verify)
    {
        try
        {
            return !verify();
        }
        catch (EnigmException)
        {
            return true;
        }
    }

    /// <summary>Wycheproof: valid must verify; invalid must be refused; acceptable may go either way.</summary>
    public static bool WycheproofVerdict(string result, Func<bool> verify) => result switch
    {
        "valid" => verify(),
        "invalid" => Rejects(verify),
        _ => EitherOutcome(verify),
    };

    // "acceptable": either outcome passes, but an untyped exception still fails the case.
    private static bool EitherOutcome(Func<bool> verify)
    {
        _ = Rejects(verify);
        return true;
    }
}
