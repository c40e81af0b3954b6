using Enigm.Crypto.Errors;

namespace Enigm.Crypto.KnownAnswers;

/// <summary>How the symmetric runners judge one case against a Wycheproof verdict.</summary>
internal static class SymmetricVerdicts
{
    /// <summary>
    /// Runs an operation that the vector says must be rejected. Passes when it throws one of Enigm's typed
    /// errors; an untyped exception is a failure in its own right (providers must never leak one).
    /// </summary>
    public static (bool Ok, string? Detail) MustReject(Action operation)
    {
        try
        {
            operation();
            return (false, "accepted");
        }
        catch (DecryptionFailedException)
        {
            return (true, null);
        }
        catch (MalformedInputException)
        {
            return (true, null);
        }
        catch (Exception e)
        {
            return (false, $"rejected with untyped {e.GetType().Name}");
        }
    }

    /// <summary>Runs an operation that must succeed and return true.</summary>
    public static (bool Ok, string? Detail) MustSucceed(Func<bool> operation, string mismatch)
    {
        try
        {
            return operation() ? (true, null) : (false, mismatch);
        }
        catch (Exception e)
        {
            return (false, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>
    /// Applies a Wycheproof verdict: "valid" must succeed and match, "invalid" must be rejected, and
    /// "acceptable" passes either way as long as nothing untyped escaped.
    /// </summary>
    public static void Record(KnownAnswerReport report, string caseId, string result, Func<bool> succeedAndMatch, Action reject)
    {
        if (result == "valid")
        {
            var (ok, detail) = MustSucceed(succeedAndMatch, "output differs from the vector");
            report.Record(ok, caseId, detail);
        }
        else if (result == "invalid")
        {
            var (ok, detail) = MustReject(reject);
            report.Record(ok, caseId, detail);
        }
        else
        {
            // "acceptable": behaving as for a valid case or as for an invalid one both pass.
            var (succeeded, _) = MustSucceed(succeedAndMatch, "differs");
            var (ok, detail) = succeeded ? (true, null) : MustReject(reject);
            report.Record(ok, caseId, detail);
        }
    }

    public static string CaseId(System.Text.Json.JsonElement testCase) => $"tcId {testCase.GetProperty("tcId").GetInt32()}";
}
