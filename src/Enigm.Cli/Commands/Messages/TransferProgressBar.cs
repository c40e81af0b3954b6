using Enigm.Cli.Commands.Update;
using Enigm.Client;

namespace Enigm.Cli.Commands.Messages;

/// <summary>
/// Attachment upload/download progress on stderr (the update command's bar), shown only for transfers of at least
/// <see cref="MinimumBytes"/>: short ones finish before a bar would mean anything.
/// </summary>
internal sealed class TransferProgressBar(TextWriter error, string label) : IProgress<TransferProgress>
{
    public const long MinimumBytes = 256 * 1024;

    private ProgressBar? _bar;
    private long _total = -1;

    public void Report(TransferProgress value)
    {
        if (value.Total < MinimumBytes) return;
        if (_bar is null || value.Total != _total)
        {
            _total = value.Total;
            _bar = new ProgressBar(error, label, value.Total);
        }

        _bar.Report(value.Transferred);
    }
}
