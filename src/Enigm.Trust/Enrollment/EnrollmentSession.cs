using Enigm.Crypto.Errors;
using Enigm.Trust.Errors;

namespace Enigm.Trust.Enrollment;

/// <summary>Where an enrollment session is.</summary>
public enum EnrollmentStage
{
    /// <summary>New device: link code shown, waiting for Hello. Existing device: Hello sent, waiting for Ready.</summary>
    Started,

    /// <summary>Channel authenticated; waiting for the SAS (new device: for Reveal).</summary>
    ChannelOpen,

    /// <summary>SAS available; waiting for the user to confirm it matches.</summary>
    AwaitingConfirmation,

    /// <summary>The user confirmed the SAS on this device.</summary>
    Confirmed,

    /// <summary>The add-device entry is being prepared and co-signed.</summary>
    AddingDevice,

    /// <summary>Existing device: entry appended and account state sent. New device: account state received.</summary>
    Completed,

    /// <summary>A step failed; the session refuses everything from now on (fail closed).</summary>
    Aborted,
}

/// <summary>
/// What both enrollment sides share: the stage, the SAS confirmation step, and the fail-closed rule
/// that any typed failure aborts the session for good (a new link code is needed).
/// </summary>
public abstract class EnrollmentSession : IDisposable
{
    private protected EnrollmentSession()
    {
    }

    private protected EnrollmentChannel? Channel { get; set; }

    public EnrollmentStage Stage { get; private protected set; } = EnrollmentStage.Started;

    /// <summary>The short authentication string to show, once <see cref="Stage"/> reaches <see cref="EnrollmentStage.AwaitingConfirmation"/>.</summary>
    public ShortAuthenticationString? Sas { get; private protected set; }

    /// <summary>
    /// The user's answer to "do both devices show the same code?". False aborts the session with
    /// <see cref="SasMismatchException"/>; nothing is ever appended to the device log after that.
    /// </summary>
    public void Confirm(bool matches) => Step(() =>
    {
        RequireStage(EnrollmentStage.AwaitingConfirmation);
        if (!matches) throw new SasMismatchException();
        Stage = EnrollmentStage.Confirmed;
        return 0;
    });

    /// <summary>Runs one protocol step; a typed failure aborts the session before it propagates.</summary>
    private protected T Step<T>(Func<T> step)
    {
        if (Stage == EnrollmentStage.Aborted)
            throw new EnrollmentCodeInvalidException("This enrollment was aborted; start again with a new link code.");
        try
        {
            return step();
        }
        catch (EnigmException)
        {
            Abort();
            throw;
        }
    }

    private protected void RequireStage(EnrollmentStage expected)
    {
        if (Stage != expected)
            throw new InvalidOperationException($"Enrollment step needs stage {expected}; the session is at {Stage}.");
    }

    /// <summary>
    /// Checks the stage for an incoming message. A message for a step already done is run through the
    /// channel, whose sequence check reports it as a replay (<see cref="EnrollmentReplayException"/>).
    /// </summary>
    private protected void RequireReceiveStage(EnrollmentStage expected, byte[] message, EnrollmentMessageType type)
    {
        if (Stage > expected && Channel is not null)
        {
            Channel.Open(message, type, maxPayload: message.Length);
            throw new EnrollmentReplayException($"Enrollment {type} message arrived after its step was done.");
        }

        RequireStage(expected);
    }

    private protected void Abort()
    {
        Stage = EnrollmentStage.Aborted;
        Channel?.Dispose();
    }

    public void Dispose()
    {
        Channel?.Dispose();
        DisposeCore();
        GC.SuppressFinalize(this);
    }

    private protected virtual void DisposeCore()
    {
    }
}
