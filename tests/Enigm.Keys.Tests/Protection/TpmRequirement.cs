using Enigm.Keys.Protection;
using Xunit;

namespace Enigm.Keys.Tests.Protection;

/// <summary>
/// Whether the tests that need a TPM run: the TPM <c>ENIGM_TPM_TCTI</c> names (scripts/swtpm-start.sh prints one), probed
/// once. Without one the test is reported as skipped with the reason; with <c>ENIGM_TPM_REQUIRED=1</c> (CI) it fails
/// instead. Also compiled into Enigm.Server.Tests (linked in its csproj).
/// </summary>
public static class TpmRequirement
{
    private static readonly Lazy<TpmAvailability?> Configured = new(() =>
        Environment.GetEnvironmentVariable(TpmProtector.TctiEnvironmentVariable) is { Length: > 0 } tcti
            ? TpmProtector.Probe(tcti)
            : null);

    /// <summary>The TCTI of the TPM that answers; skips (or fails under ENIGM_TPM_REQUIRED=1) when there is none.</summary>
    public static string Require()
    {
        var availability = Configured.Value;
        var reason = availability is null
            ? $"{TpmProtector.TctiEnvironmentVariable} is not set (start a software TPM with scripts/swtpm-start.sh)"
            : availability.IsAvailable ? null : $"TPM at '{availability.Tcti}' unavailable: {availability.Reason}";
        if (reason is not null && Environment.GetEnvironmentVariable("ENIGM_TPM_REQUIRED") == "1")
            Assert.Fail($"ENIGM_TPM_REQUIRED=1 but {reason}");
        Skip.If(reason is not null, reason);
        return availability!.Tcti;
    }
}
