using System.Threading.Channels;

namespace Enigm.Client;

/// <summary>
/// Changes a call this device hosts while it runs (<see cref="EnigmClient.StartCallAsync(IReadOnlyList{string}, CallControl, CallOptions?, Action{CallEvent}?, CancellationToken)"/>):
/// ring further contacts, remove one, or end it early. Each change is applied by the call's own loop, in order, and
/// the returned task completes when it has been applied (offers sent, or the new epoch sent to everyone who stays).
/// Changes asked for before the call starts wait for it; after it ended they fail with <c>CallStateException</c>.
/// </summary>
public sealed class CallControl
{
    private readonly Channel<CallCommand> _commands = Channel.CreateUnbounded<CallCommand>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Rings every trusted, unrevoked device of <paramref name="contacts"/>; each that answers joins in a new epoch.</summary>
    public Task InviteAsync(params string[] contacts)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        return Queue(new CallCommand(CallCommandKind.Invite, contacts));
    }

    /// <summary>Removes every device of <paramref name="contact"/> from the call: a new epoch without them, and the relay room without them.</summary>
    public Task RemoveAsync(string contact)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contact);
        return Queue(new CallCommand(CallCommandKind.Remove, [contact]));
    }

    /// <summary>Ends the call now (a leave to every member, the room deleted).</summary>
    public Task EndAsync() => Queue(new CallCommand(CallCommandKind.End, []));

    internal ChannelReader<CallCommand> Commands => _commands.Reader;

    /// <summary>The call ended: later changes fail, waiting ones are refused.</summary>
    internal void Close()
    {
        _commands.Writer.TryComplete();
        while (_commands.Reader.TryRead(out var command))
            command.Done.TrySetException(new Messaging.Errors.CallStateException("The call has ended."));
    }

    private Task Queue(CallCommand command)
    {
        if (!_commands.Writer.TryWrite(command)) return Task.FromException(new Messaging.Errors.CallStateException("The call has ended."));
        return command.Done.Task;
    }
}

internal enum CallCommandKind
{
    Invite,
    Remove,
    End,
}

/// <summary>One change to a hosted call, completed by the call's loop.</summary>
internal sealed record CallCommand(CallCommandKind Kind, IReadOnlyList<string> Contacts)
{
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
