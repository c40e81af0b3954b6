using Enigm.Crypto.Secrets;
using Enigm.Keys.Errors;
using Enigm.Keys.Protection;
using Xunit;

namespace Enigm.Keys.Tests.Protection;

public sealed class ProtectorRegistryTests
{
    private static SecretBytes Passphrase() => SecretBytes.CopyFrom("reopen me: correct horse battery staple"u8);

    [Fact]
    public void Reopens_a_passphrase_store_with_its_stored_costs()
    {
        var (descriptor, kek) = new PassphraseProtector(Passphrase, FastArgon2id.Settings).Create();
        using (kek)
        {
            var protector = ProtectorRegistry.ForDescriptor(descriptor, Passphrase, tcti: null);
            using var unlocked = protector.Unlock(descriptor);

            var passphrase = Assert.IsType<PassphraseProtector>(protector);
            Assert.Equal(FastArgon2id.Settings, passphrase.Settings);
            Assert.True(unlocked.FixedTimeEquals(kek.Span));
        }
    }

    [Fact]
    public void Chooses_the_tpm_protector_for_a_tpm_descriptor()
    {
        var descriptor = new ProtectorDescriptor("tpm", new TpmDescriptor(TpmDescriptor.DefaultTemplate, [1], [2], null).Encode());

        var protector = ProtectorRegistry.ForDescriptor(descriptor, Passphrase, "swtpm:host=127.0.0.1,port=2321");

        var tpm = Assert.IsType<TpmProtector>(protector);
        Assert.Equal("swtpm:host=127.0.0.1,port=2321", tpm.Tcti);
    }

    [Fact]
    public void Unknown_kinds_are_reported_as_unavailable()
    {
        var error = Assert.Throws<ProtectorUnavailableException>(
            () => ProtectorRegistry.ForDescriptor(new ProtectorDescriptor("os-keystore\u0007", []), Passphrase, null));

        Assert.Contains("os-keystore?", error.Message, StringComparison.Ordinal);
    }
}
