using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Errors;

namespace Enigm.Keys.Protection;

/// <summary>Whether a TPM 2.0 is usable through a TCTI, and if not, why.</summary>
public sealed record TpmAvailability(bool IsAvailable, string Tcti, string Reason);

/// <summary>
/// The KEK is 32 random bytes sealed in a TPM 2.0 data object under the owner hierarchy's storage primary
/// key (TPM 2.0 Part 1, 27.2: sealed data objects; Part 3, 24.1 CreatePrimary, 12.1 Create, 12.2 Load,
/// 12.7 Unseal), optionally bound to PCR values with a PolicyPCR policy. The primary key is re-derived from
/// the owner seed at every unlock (same template → same key), so only the sealed object's public and
/// private blobs are stored. The TPM work is done by tpm2-tools (see <see cref="Tpm2Tools"/>).
/// </summary>
public sealed class TpmProtector : IKeyProtector
{
    public const string KindName = "tpm";

    /// <summary>Environment variable naming the TCTI, e.g. <c>swtpm:host=127.0.0.1,port=2321</c>.</summary>
    public const string TctiEnvironmentVariable = "ENIGM_TPM_TCTI";

    /// <summary>The kernel's TPM resource manager.</summary>
    public const string DefaultTcti = "device:/dev/tpmrm0";

    private const int KekSize = 32;

    private readonly Tpm2Tools _tools;

    /// <param name="tcti">TCTI for tpm2-tools; null means <c>ENIGM_TPM_TCTI</c>, else <see cref="DefaultTcti"/>.</param>
    /// <param name="pcrPolicy">PCRs new KEKs are sealed to; null seals without a policy.</param>
    /// <param name="timeout">Per tool run; default 60 s (RSA primary key generation is slow on some TPMs).</param>
    public TpmProtector(string? tcti = null, TpmPcrSelection? pcrPolicy = null, TimeSpan? timeout = null)
    {
        Tcti = ResolveTcti(tcti);
        PcrPolicy = pcrPolicy;
        _tools = new Tpm2Tools(Tcti, timeout ?? TimeSpan.FromSeconds(60));
    }

    public string Kind => KindName;

    public string Tcti { get; }

    public TpmPcrSelection? PcrPolicy { get; }

    public static string ResolveTcti(string? tcti) =>
        !string.IsNullOrWhiteSpace(tcti) ? tcti
        : Environment.GetEnvironmentVariable(TctiEnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : DefaultTcti;

    /// <summary>Checks for the tools, the device and a TPM that answers (TPM2_GetRandom); never throws for absence.</summary>
    public static TpmAvailability Probe(string? tcti = null, TimeSpan? timeout = null)
    {
        var resolved = ResolveTcti(tcti);
        if (StaticAbsence(resolved) is { } reason)
            return new TpmAvailability(false, resolved, reason);
        try
        {
            var tools = new Tpm2Tools(resolved, timeout ?? TimeSpan.FromSeconds(10));
            using var result = tools.Run("tpm2_getrandom", ["8"]);
            return result.ExitCode == 0 && result.Stdout.Length == 8
                ? new TpmAvailability(true, resolved, "TPM 2.0 answers")
                : new TpmAvailability(false, resolved, $"the TPM does not answer: {result.Describe()}");
        }
        catch (ProtectorUnavailableException e)
        {
            return new TpmAvailability(false, resolved, e.Message);
        }
    }

    /// <summary>The PCR selection a TPM descriptor's KEK is sealed to, or null.</summary>
    public static TpmPcrSelection? PcrPolicyOf(ProtectorDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Kind != KindName)
            throw new MalformedInputException($"Not a {KindName} descriptor.");
        return TpmDescriptor.Decode(descriptor.Parameters ?? []).Pcrs;
    }

    public (ProtectorDescriptor Descriptor, SecretBytes Kek) Create()
    {
        EnsurePresent();
        var kekBytes = GC.AllocateArray<byte>(KekSize, pinned: true);
        SecretBytes? kek = null;
        try
        {
            RandomNumberGenerator.Fill(kekBytes);
            kek = SecretBytes.CopyFrom(kekBytes);
            var descriptor = new ProtectorDescriptor(KindName, Seal(kekBytes).Encode());

            // Unseal once before the store relies on it: catches a PCR policy the platform cannot satisfy.
            using (var check = Unlock(descriptor))
            {
                if (!check.FixedTimeEquals(kek.Span))
                    throw new ProtectorUnavailableException(KindName, "the TPM returned a different KEK than was sealed");
            }

            return (descriptor, kek);
        }
        catch
        {
            kek?.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kekBytes);
        }
    }

    public SecretBytes Unlock(ProtectorDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Kind != KindName)
            throw new MalformedInputException($"Not a {KindName} descriptor.");
        var sealedKek = TpmDescriptor.Decode(descriptor.Parameters ?? []);
        EnsurePresent();

        using var work = PrivateWorkDirectory.Create();
        var before = _tools.LoadedHandles();
        try
        {
            CreatePrimary(work, sealedKek.PrimaryTemplate, before);
            File.WriteAllBytes(work.PathOf("sealed.pub"), sealedKek.Public);
            File.WriteAllBytes(work.PathOf("sealed.priv"), sealedKek.Private);
            using (var load = _tools.Run("tpm2_load", ["-Q", "-C", work.PathOf("primary.ctx"), "-u", work.PathOf("sealed.pub"), "-r", work.PathOf("sealed.priv"), "-c", work.PathOf("sealed.ctx")]))
            {
                _tools.FlushAdded(before);
                if (load.ExitCode != 0)
                    throw new ProtectorUnavailableException(KindName, $"this TPM cannot load the sealed KEK (another TPM, or its owner hierarchy was cleared): {load.Describe()}");
            }

            List<string> unsealArguments = ["-c", work.PathOf("sealed.ctx")];
            if (sealedKek.Pcrs is { } pcrs) unsealArguments.AddRange(["-p", $"pcr:{pcrs}"]);
            using var unseal = _tools.Run("tpm2_unseal", unsealArguments);
            if (unseal.ExitCode != 0)
            {
                // TPM_RC_POLICY_FAIL ("a policy check failed"): PolicyPCR saw other PCR values than at sealing.
                var policyFailed = sealedKek.Pcrs is not null && unseal.Stderr.Contains("policy", StringComparison.OrdinalIgnoreCase);
                throw new ProtectorUnavailableException(KindName, policyFailed
                    ? $"the PCRs {sealedKek.Pcrs} no longer hold the values the KEK was sealed to (the platform state changed): {unseal.Describe()}"
                    : unseal.Describe());
            }

            if (unseal.Stdout.Length != KekSize)
                throw new MalformedInputException($"The sealed object does not hold a {KekSize}-byte KEK.");
            return SecretBytes.CopyFrom(unseal.Stdout);
        }
        finally
        {
            _tools.FlushAdded(before);
        }
    }

    private TpmDescriptor Seal(ReadOnlySpan<byte> kek)
    {
        using var work = PrivateWorkDirectory.Create();
        var before = _tools.LoadedHandles();
        try
        {
            CreatePrimary(work, TpmDescriptor.DefaultTemplate, before);
            List<string> create = ["-Q", "-C", work.PathOf("primary.ctx"), "-i", "-", "-u", work.PathOf("sealed.pub"), "-r", work.PathOf("sealed.priv")];
            if (PcrPolicy is { } pcrs)
            {
                // A trial PolicyPCR session computes the policy digest over the PCRs' current values.
                _tools.RunChecked("tpm2_createpolicy", ["-Q", "--policy-pcr", "-l", pcrs.ToString(), "-L", work.PathOf("policy.digest")]).Dispose();
                _tools.FlushAdded(before);
                create.AddRange(["-L", work.PathOf("policy.digest")]);
            }

            // The KEK goes to tpm2_create on stdin (-i -), never as an argument or a file.
            _tools.RunChecked("tpm2_create", create, kek).Dispose();
            return new TpmDescriptor(
                TpmDescriptor.DefaultTemplate,
                File.ReadAllBytes(work.PathOf("sealed.pub")),
                File.ReadAllBytes(work.PathOf("sealed.priv")),
                PcrPolicy);
        }
        finally
        {
            _tools.FlushAdded(before);
        }
    }

    /// <summary>TPM2_CreatePrimary in the owner hierarchy: deterministic for a template and the owner seed.</summary>
    private void CreatePrimary(PrivateWorkDirectory work, string template, HashSet<string> before)
    {
        _tools.RunChecked("tpm2_createprimary", ["-Q", "-C", "o", "-G", template, "-c", work.PathOf("primary.ctx")]).Dispose();
        _tools.FlushAdded(before);
    }

    private void EnsurePresent()
    {
        if (StaticAbsence(Tcti) is { } reason)
            throw new ProtectorUnavailableException(KindName, reason);
    }

    /// <summary>Absence that needs no TPM round trip: missing tools, missing device node.</summary>
    private static string? StaticAbsence(string tcti)
    {
        if (!OperatingSystem.IsLinux())
            return "the TPM protector uses tpm2-tools, available on Linux only";
        if (Tpm2Tools.MissingTool() is { } tool)
            return $"{tool} is not installed (Debian package tpm2-tools)";
        if (tcti.StartsWith("device:", StringComparison.Ordinal))
        {
            var device = tcti["device:".Length..];
            if (device.Length > 0 && !File.Exists(device))
                return $"no TPM device {device} (set {TctiEnvironmentVariable} to use another TCTI, e.g. swtpm:host=127.0.0.1,port=2321)";
        }

        return null;
    }
}
