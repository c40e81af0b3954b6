namespace Enigm.Architecture.Tests.Support;

/// <summary>The repository root: the first folder above the test binaries that holds Enigm.slnx.</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Enigm.slnx"))) return dir.FullName;
        }

        throw new DirectoryNotFoundException($"Repository root (Enigm.slnx) not found above {AppContext.BaseDirectory}.");
    });

    public static string Folder => Root.Value;
}
