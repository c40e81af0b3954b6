using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Enigm.Keys.Errors;

namespace Enigm.Keys.Protection;

/// <summary>
/// Runs tpm2-tools (the TCG TSS command-line tools, Debian package <c>tpm2-tools</c>) as child processes:
/// arguments as a list (never a shell string), secrets on stdin, the TCTI in <c>TPM2TOOLS_TCTI</c>.
/// All TPM command marshalling is done by the TSS libraries behind the tools.
/// </summary>
internal sealed class Tpm2Tools(string tcti, TimeSpan timeout)
{
    /// <summary>Every tool the protector and the probe use.</summary>
    public static readonly string[] RequiredTools =
    [
        "tpm2_createprimary", "tpm2_create", "tpm2_createpolicy", "tpm2_load", "tpm2_unseal",
        "tpm2_getcap", "tpm2_flushcontext", "tpm2_getrandom",
    ];

    private const int MaxOutput = 64 * 1024;

    public string Tcti { get; } = tcti;

    /// <summary>
    /// Without a resource manager (swtpm, /dev/tpm0) tpm2-tools leave the objects and sessions they create
    /// loaded, and a TPM holds only a few; we then flush, one by one, exactly the handles our steps added.
    /// The kernel resource manager (/dev/tpmrm*) and tpm2-abrmd flush them when each tool disconnects.
    /// </summary>
    public bool NeedsManualFlush =>
        !(Tcti.StartsWith("device:/dev/tpmrm", StringComparison.Ordinal) || Tcti.StartsWith("tabrmd", StringComparison.Ordinal));

    /// <summary>The first required tool missing from PATH, or null.</summary>
    public static string? MissingTool() => RequiredTools.FirstOrDefault(tool => FindOnPath(tool) is null);

    /// <summary>Runs a tool; a non-zero exit is returned, not thrown, so callers can classify it.</summary>
    public ToolResult Run(string tool, IReadOnlyList<string> arguments, ReadOnlySpan<byte> standardInput = default)
    {
        var path = FindOnPath(tool)
            ?? throw new ProtectorUnavailableException(TpmProtector.KindName, $"{tool} is not installed (Debian package tpm2-tools)");
        var start = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["TPM2TOOLS_TCTI"] = Tcti;

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new ProtectorUnavailableException(TpmProtector.KindName, $"{tool} could not be started: {e.Message}");
        }

        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = GC.AllocateArray<byte>(MaxOutput, pinned: true);
        var stdoutLength = process.StandardOutput.BaseStream.ReadAtLeastAsync(stdout, MaxOutput, throwOnEndOfStream: false).AsTask();
        try
        {
            using (var input = process.StandardInput.BaseStream)
            {
                if (!standardInput.IsEmpty) input.Write(standardInput);
            }
        }
        catch (IOException)
        {
            // The tool exited without reading its input; its exit code and stderr tell why.
        }

        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            CryptographicOperations.ZeroMemory(stdout);
            throw new ProtectorUnavailableException(
                TpmProtector.KindName,
                $"{tool} got no answer from the TPM at '{Tcti}' within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }

        process.WaitForExit();
        var length = stdoutLength.GetAwaiter().GetResult();
        return new ToolResult(tool, process.ExitCode, stdout, length, stderr.GetAwaiter().GetResult());
    }

    /// <summary>Runs a tool and throws <see cref="ProtectorUnavailableException"/> when it fails.</summary>
    public ToolResult RunChecked(string tool, IReadOnlyList<string> arguments, ReadOnlySpan<byte> standardInput = default)
    {
        var result = Run(tool, arguments, standardInput);
        if (result.ExitCode == 0) return result;
        result.Dispose();
        throw new ProtectorUnavailableException(TpmProtector.KindName, result.Describe());
    }

    /// <summary>Loaded transient objects and sessions, when manual flushing is needed (else empty).</summary>
    public HashSet<string> LoadedHandles()
    {
        var handles = new HashSet<string>(StringComparer.Ordinal);
        if (!NeedsManualFlush) return handles;
        foreach (var capability in new[] { "handles-transient", "handles-loaded-session" })
        {
            using var result = RunChecked("tpm2_getcap", [capability]);
            foreach (var line in result.StdoutText().Split('\n'))
            {
                var handle = line.Trim().TrimStart('-').Trim();
                if (handle.StartsWith("0x", StringComparison.Ordinal) && handle.Length <= 10 && handle[2..].All(char.IsAsciiHexDigit))
                    handles.Add(handle);
            }
        }

        return handles;
    }

    /// <summary>
    /// Flushes every handle loaded now that was not in <paramref name="before"/>. Cleanup: runs in
    /// finally blocks, so it never throws over the error that brought us there.
    /// </summary>
    public void FlushAdded(HashSet<string> before)
    {
        if (!NeedsManualFlush) return;
        try
        {
            foreach (var handle in LoadedHandles().Except(before))
                Run("tpm2_flushcontext", [handle]).Dispose();
        }
        catch (ProtectorUnavailableException)
        {
            // The TPM went away; nothing is left to flush on it that we could reach.
        }
    }

    private static string? FindOnPath(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);
    }
}

/// <summary>A finished tool run. Stdout may hold a secret (tpm2_unseal): it is pinned and zeroed on dispose.</summary>
internal sealed partial class ToolResult(string tool, int exitCode, byte[] stdout, int stdoutLength, string stderr) : IDisposable
{
    public string Tool { get; } = tool;

    public int ExitCode { get; } = exitCode;

    public string Stderr { get; } = stderr;

    public ReadOnlySpan<byte> Stdout => stdout.AsSpan(0, stdoutLength);

    public string StdoutText() => System.Text.Encoding.UTF8.GetString(Stdout);

    /// <summary>
    /// One line for an error message: the tool, its exit code and the most telling line of its stderr — the
    /// TPM response code text if there is one, else a connection failure, else the first specific error.
    /// Printable and bounded; tpm2-tools never print secrets on stderr.
    /// </summary>
    public string Describe()
    {
        var lines = Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => SourcePrefix().Replace(line, ""))
            .ToArray();
        var telling = lines.FirstOrDefault(line => line.Contains("- tpm:", StringComparison.Ordinal))
            ?? lines.FirstOrDefault(line => line.Contains("connect", StringComparison.OrdinalIgnoreCase))
            ?? lines.FirstOrDefault(line => line.StartsWith("ERROR", StringComparison.Ordinal) && !line.Contains("Unable to run", StringComparison.Ordinal))
            ?? lines.LastOrDefault()
            ?? "no error output";
        var printable = new string([.. telling.Take(240).Select(c => c is >= ' ' and <= '~' ? c : '?')]);
        return $"{Tool} failed (exit {ExitCode.ToString(CultureInfo.InvariantCulture)}): {printable}";
    }

    /// <summary>The TSS log prefix <c>WARNING:tcti:src/util/io.c:262:socket_connect() </c>.</summary>
    [GeneratedRegex(@"^(WARNING|ERROR):[a-z_]+:[^ ]+:[0-9]+:[A-Za-z0-9_]+\(\) ", RegexOptions.CultureInvariant)]
    private static partial Regex SourcePrefix();

    public void Dispose() => CryptographicOperations.ZeroMemory(stdout);
}
