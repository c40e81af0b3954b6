using Enigm.Messaging.Prekeys;
using Enigm.Messaging.SealedSender;
using Enigm.Messaging.Setup;
using Enigm.Messaging.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Enigm.Messaging.Tests.Setup;

/// <summary>The byte counts docs/protocol.md states, measured on real objects.</summary>
public sealed class WireSizeTests(ITestOutputHelper output) : IDisposable
{
    private readonly TestAccount _alice = TestAccount.Create("alice");
    private readonly TestAccount _bob = TestAccount.Create("bob");

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    [Fact]
    public void Object_sizes_match_the_protocol_document()
    {
        var certificate = _alice.Primary.Identity.Certificate;
        var parsed = IdentityCertificate.Parse(certificate, Crypto.Suites.SuitePolicy.Default);
        var full = PrekeyBundle.Decode(_bob.Primary.Prekeys.PublishBundle());
        var fetched = full.WithOnly(full.OneTimePrekeys[0].Id, full.OneTimeKemPrekeys[0].Id).Encode();
        var bare = full.WithOnly(null, null).Encode();
        var bob = PrekeyBundleVerifier.Verify(fetched, _bob.Verified);
        var content = new byte[1024];
        var layer = SealedSenderCipher.Seal(_alice.Primary.Identity, bob.Identity, 1, content);
        var envelope = SealedSenderCipher.SealToEnvelope(_alice.Primary.Identity, bob.Identity, 1, content);
        using var initiation = PqxdhInitiator.Start(_alice.Primary.Identity, bob);

        output.WriteLine($"certificate {certificate.Length}, body {parsed.BodyBytes.Length}, signature {parsed.Signature.Length}");
        output.WriteLine($"bundle fetched {fetched.Length}, signed part {full.SignedPart.Length}, without one-time keys {bare.Length}");
        output.WriteLine($"initial message {initiation.InitialMessage.Length}, AD {initiation.AssociatedData.Length}");
        output.WriteLine($"layer for 1 KiB {layer.Length} (overhead {layer.Length - 1024}), envelope {envelope.Length} (device id {_bob.Primary.Id.Length} chars)");

        Assert.Equal(4702, certificate.Length);
        Assert.Equal(1318, parsed.BodyBytes.Length);
        Assert.Equal(1648, initiation.InitialMessage.Length);
        Assert.Equal(3373, parsed.Signature.Length);
        Assert.InRange(fetched.Length, 7950, 8050);
        Assert.InRange(bare.Length, 6350, 6450);
        Assert.InRange(layer.Length - 1024, 1120 + 16 + 4702, 1120 + 16 + 4702 + 24);
        Assert.InRange(envelope.Length - layer.Length, 60, 90);
    }
}
