using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Xunit;

namespace Enigm.Crypto.Tests.Secrets;

/// <summary>
/// One private key used from several threads at once (a transparency log signing tree heads, a
/// server signing responses): the providers' cached key state must not be disposed under a signer.
/// </summary>
public sealed class ConcurrentUseTests
{
    public static TheoryData<string> SignatureAlgorithms => new()
    {
        SignatureAlgorithm.MlDsa65Ed25519.Name,
        SignatureAlgorithm.MlDsa87EcdsaP384.Name,
        SignatureAlgorithm.Ed25519.Name,
    };

    [Theory]
    [MemberData(nameof(SignatureAlgorithms))]
    public void One_key_signs_on_many_threads_and_every_signature_verifies(string name)
    {
        var algorithm = (SignatureAlgorithm)CryptoAlgorithm.All.Single(a => a.Name == name);
        var scheme = CryptoProviders.Default.Signature(algorithm);
        using var key = scheme.GenerateKey();
        var signatures = new byte[64][];

        Parallel.For(0, signatures.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            signatures[i] = scheme.Sign(key, BitConverter.GetBytes(i)));

        for (var i = 0; i < signatures.Length; i++)
            Assert.True(scheme.Verify(key.PublicKey, BitConverter.GetBytes(i), signatures[i]));
    }
}
