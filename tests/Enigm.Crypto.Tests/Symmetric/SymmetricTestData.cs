using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Xunit;

namespace Enigm.Crypto.Tests.Symmetric;

/// <summary>Theory data: every (algorithm, provider) pair available on this machine.</summary>
public static class SymmetricTestData
{
    public static TheoryData<string, string> AeadProviders() => Pairs(AeadAlgorithm.All);

    public static TheoryData<string, string> KdfProviders() => Pairs(KdfAlgorithm.All);

    public static TheoryData<string, string> HashProviders() => Pairs(HashAlgorithm.All);

    public static TheoryData<string, string> KeyWrapProviders() => Pairs(KeyWrapAlgorithm.All);

    public static T Create<T>(AlgorithmKind kind, string algorithm, string provider)
        where T : class =>
        CryptoProviders.Default.Create<T>(CryptoAlgorithm.Find(kind, algorithm)!, provider);

    private static TheoryData<string, string> Pairs(IEnumerable<CryptoAlgorithm> algorithms)
    {
        var data = new TheoryData<string, string>();
        foreach (var algorithm in algorithms)
            foreach (var candidate in CryptoProviders.Default.Available(algorithm))
                data.Add(algorithm.Name, candidate.Provider);
        return data;
    }
}
