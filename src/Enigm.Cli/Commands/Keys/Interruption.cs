using System.Runtime.InteropServices;
using Enigm.Cli.Output;

namespace Enigm.Cli.Commands.Keys;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM for key store commands. The signal cancels <see cref="Token"/>, which the
/// passphrase protector's Argon2id wait observes, so the command stops at once with exit 130 and nothing
/// written. Work that does not observe the token (a SQLite write of a few milliseconds) gets a short
/// grace to finish, then the process exits 130; the store's rollback journal keeps it consistent.
/// </summary>
internal static class Interruption
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);
    private static readonly CancellationTokenSource Source = new();
    private static readonly Lock Gate = new();
    private static List<PosixSignalRegistration>? _registrations;

    public static CancellationToken Token
    {
        get
        {
            lock (Gate)
            {
                if (_registrations is null && !OperatingSystem.IsBrowser())
                {
                    _registrations =
                    [
                        PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
                        PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
                    ];
                }
            }

            return Source.Token;
        }
    }

    private static void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        Source.Cancel();
        _ = Task.Delay(Grace).ContinueWith(_ => Environment.Exit(ExitCodes.Interrupted), TaskScheduler.Default);
    }
}
