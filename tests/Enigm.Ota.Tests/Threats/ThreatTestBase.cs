using Enigm.Ota.Tests.Support;

namespace Enigm.Ota.Tests.Threats;

/// <summary>A published one-target repository for each attack of the TUF specification's threat list (TUF 1.0.x §1.5.2).</summary>
public abstract class ThreatTestBase : IDisposable
{
    internal static readonly byte[] Release = "release 2.1.0 payload"u8.ToArray();

    private protected ThreatTestBase()
    {
        Repo.AddTarget("app.bin", Release);
    }

    internal RepoWriter Repo { get; } = new();

    public void Dispose()
    {
        Repo.Dispose();
        GC.SuppressFinalize(this);
    }
}
