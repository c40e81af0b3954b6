using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Xunit;

namespace Enigm.Crypto.Tests.Kem;

/// <summary>Theory data: every (algorithm, provider) pair available on this machine.</summary>
internal static class KemProviders
{
    public static TheoryData<string, string> Kems()
    {
        var data = new TheoryData<string, string>();
        foreach (var algorithm in KemAlgorithm.All)
            foreach (var candidate in CryptoProviders.Default.Available(algorithm))
                data.Add(algorithm.Name, candidate.Provider);
        return data;
    }

    public static TheoryData<string> KeyAgreements()
    {
        var data = new TheoryData<string>();
        foreach (var candidate in CryptoProviders.Default.Available(KeyAgreementAlgorithm.X25519))
            data.Add(candidate.Provider);
        return data;
    }

    public static KemAlgorithm Algorithm(string name) => KemAlgorithm.All.Single(a => a.Name == name);

    public static IKem Create(string algorithm, string provider) =>
        CryptoProviders.Default.Create<IKem>(Algorithm(algorithm), provider);

    public static IKeyAgreement X25519(string provider) =>
        CryptoProviders.Default.Create<IKeyAgreement>(KeyAgreementAlgorithm.X25519, provider);
}
