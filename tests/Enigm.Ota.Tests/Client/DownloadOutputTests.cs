using Enigm.Ota.Client;
using Enigm.Ota.Errors;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Client;

/// <summary>
/// Where <see cref="Updater.Download"/> writes: the target's relative path under the output folder,
/// never over an existing file unless asked, never outside the folder.
/// </summary>
public sealed class DownloadOutputTests : IDisposable
{
    private static readonly byte[] DataA = "release from a"u8.ToArray();
    private static readonly byte[] DataB = "release from b"u8.ToArray();
    private readonly RepoWriter _repo = new();
    private readonly Updater _updater;

    public DownloadOutputTests()
    {
        _repo.AddTarget("a/x.bin", DataA);
        _repo.AddTarget("b/x.bin", DataB);
        _repo.Publish();
        _updater = _repo.Updater();
        _updater.Refresh(TestRepository.Now);
    }

    public void Dispose() => _repo.Dispose();

    private string Download(string target, string? outDir = null, bool overwrite = false) =>
        _updater.Download(_updater.RequireTarget(target), outDir ?? _repo.OutDir, overwrite: overwrite);

    [Fact]
    public void Same_named_targets_in_different_folders_do_not_overwrite_each_other()
    {
        var a = Download("a/x.bin");
        var b = Download("b/x.bin");

        Assert.Equal(Path.Combine(_repo.OutDir, "a", "x.bin"), a);
        Assert.Equal(Path.Combine(_repo.OutDir, "b", "x.bin"), b);
        Assert.Equal(DataA, File.ReadAllBytes(a));
        Assert.Equal(DataB, File.ReadAllBytes(b));
    }

    [Fact]
    public void A_missing_output_folder_is_created()
    {
        var outDir = Path.Combine(_repo.Folder, "new", "deeper");
        Assert.Equal(DataA, File.ReadAllBytes(Download("a/x.bin", outDir)));
    }

    [Fact]
    public void An_existing_file_is_refused_unchanged_unless_overwrite_is_asked()
    {
        var existing = Path.Combine(_repo.OutDir, "a", "x.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(existing)!);
        File.WriteAllText(existing, "keep me");

        var e = Assert.Throws<RepositoryException>(() => Download("a/x.bin"));
        Assert.Contains("already exists", e.Message, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(existing));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(existing)!));

        Download("a/x.bin", overwrite: true);
        Assert.Equal(DataA, File.ReadAllBytes(existing));
    }

    [Fact]
    public void An_output_folder_that_is_a_file_is_a_repository_error()
    {
        var file = Path.Combine(_repo.Folder, "a-file");
        File.WriteAllText(file, "not a folder");
        Assert.Throws<RepositoryException>(() => Download("a/x.bin", file));
        Assert.Throws<RepositoryException>(() => Download("a/x.bin", Path.Combine(file, "sub")));
        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    [Fact]
    public void A_folder_where_the_file_belongs_is_refused_even_with_overwrite()
    {
        Directory.CreateDirectory(Path.Combine(_repo.OutDir, "a", "x.bin"));
        Assert.Throws<RepositoryException>(() => Download("a/x.bin", overwrite: true));
    }

    [Theory]
    [InlineData("../x.bin")]
    [InlineData("a/../../x.bin")]
    [InlineData("/etc/x.bin")]
    [InlineData("C:/x.bin")]
    [InlineData("C:x.bin")]
    [InlineData("a//x.bin")]
    [InlineData("a/./x.bin")]
    [InlineData("a\\..\\..\\x.bin")]
    [InlineData("a/x.bin.")]
    [InlineData("a /x.bin")]
    [InlineData("a/x\u0001.bin")]
    [InlineData("")]
    public void Target_paths_that_would_leave_the_output_folder_are_refused(string path)
    {
        // A compromised targets key could list such a path; nothing may be written for it.
        var outDir = Path.Combine(_repo.Folder, "jail", "out");
        var target = new ResolvedTarget(path, RepoWriter.FileOf(DataA), "targets");

        Assert.Throws<RepositoryException>(() => _updater.Download(target, outDir));

        Assert.DoesNotContain(Directory.GetFiles(_repo.Folder, "*x*.bin", SearchOption.AllDirectories), f => !f.StartsWith(_repo.RepoDir, StringComparison.Ordinal));
    }

    [Fact]
    public void A_path_through_a_symbolic_link_inside_the_output_folder_is_refused()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(_repo.Folder, "elsewhere")).FullName;
        Directory.CreateDirectory(_repo.OutDir);
        Directory.CreateSymbolicLink(Path.Combine(_repo.OutDir, "a"), elsewhere);

        var e = Assert.Throws<RepositoryException>(() => Download("a/x.bin"));

        Assert.Contains("symbolic link", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(elsewhere));
    }
}
