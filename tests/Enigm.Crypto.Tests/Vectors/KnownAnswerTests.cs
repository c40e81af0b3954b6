using Enigm.Crypto.KnownAnswers;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Enigm.Crypto.Tests.Vectors;

/// <summary>
/// Runs every known-answer set over the whole upstream files, once per provider that implements the
/// set's algorithm on this machine, and reports how many vectors ran.
/// </summary>
public sealed class KnownAnswerTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> SetsAndProviders()
    {
        var data = new TheoryData<string, string>();
        foreach (var set in KnownAnswerCatalog.All)
            foreach (var candidate in CryptoProviders.Default.Available(set.Algorithm))
                data.Add(set.Name, candidate.Provider);
        return data;
    }

    [Theory]
    [MemberData(nameof(SetsAndProviders))]
    public void Vector_set_passes(string setName, string provider)
    {
        var set = KnownAnswerCatalog.All.Single(s => s.Name == setName);
        var context = new KnownAnswerContext(VectorFiles.Load, CryptoProviders.Default, provider, VectorFiles.Full);

        var report = set.Execute(context);

        output.WriteLine(report.ToString());
        foreach (var failure in report.Failures) output.WriteLine("  FAIL " + failure);
        Assert.True(report.Passed > 0, $"{setName} ran zero vectors against {provider}.");
        Assert.Equal(0, report.Failed);
    }

    [Fact]
    public void Every_set_has_a_provider_on_this_machine()
    {
        foreach (var set in KnownAnswerCatalog.All)
            Assert.NotEmpty(CryptoProviders.Default.Available(set.Algorithm));
    }

    [Fact]
    public void Every_set_names_files_that_exist()
    {
        foreach (var file in KnownAnswerCatalog.All.SelectMany(s => s.Files))
            Assert.True(File.Exists(Path.Combine(VectorFiles.Root, file)), $"missing vector file {file}");
    }
}
