namespace Enigm.Cli.Commands.Update;

/// <summary>A one-line download progress bar on stderr, redrawn at most once per whole percent.</summary>
internal sealed class ProgressBar(TextWriter error, string name, long total) : IProgress<long>
{
    private const int Width = 30;
    private int _lastPercent = -1;

    public void Report(long value)
    {
        var percent = total == 0 ? 100 : (int)(value * 100 / total);
        if (percent == _lastPercent) return;
        _lastPercent = percent;
        var filled = percent * Width / 100;
        error.Write($"\r  {name} [{new string('#', filled)}{new string('.', Width - filled)}] {percent,3}% {value / (1024 * 1024)}/{total / (1024 * 1024)} MiB");
        if (value >= total) error.WriteLine();
    }
}
