using Enigm.Keys;
using Enigm.Keys.Protection;
using Enigm.Keys.Tests.Protection;
using Enigm.Server.Hosting;
using Enigm.Server.Tests.Http;
using Xunit;

namespace Enigm.Server.Tests.Hosting;

/// <summary>
/// What protects the relay's transparency-log key at rest (docs/relay-api.md, "Server keys"). The TPM test runs against
/// the software TPM `.ci/run` starts (ENIGM_TPM_TCTI); without one it is reported as skipped with the reason, and with
/// ENIGM_TPM_REQUIRED=1 an unreachable TPM fails it.
/// </summary>
public sealed class LogKeyProtectionTests : IDisposable
{
    private readonly string _data = Path.Combine(Directory.CreateTempSubdirectory("enigm-relay-logkey-").FullName, "data");

    [SkippableFact]
    public async Task A_tpm_protected_log_key_keeps_no_passphrase_file_and_signs_with_the_same_key_after_a_restart()
    {
        TpmRequirement.Require();
        byte[] first;
        await using (var relay = await RelayFixture.StartAsync(o => o with { DataDirectory = _data, LogKeyProtection = RelayLogKeyProtection.Tpm }))
        {
            first = relay.Server.LogPublicKey;
        }

        Assert.False(File.Exists(Path.Combine(_data, DataDirectory.LogKeyPassphraseFile)));
        Assert.Equal(TpmProtector.KindName, StoredProtectorKind());
        await using (var again = await RelayFixture.StartAsync(o => o with { DataDirectory = _data, LogKeyProtection = RelayLogKeyProtection.Tpm }))
        {
            Assert.Equal(first, again.Server.LogPublicKey);
        }
    }

    [Fact]
    public async Task Asking_for_a_tpm_over_a_passphrase_protected_log_key_is_refused_and_the_store_is_left_as_it_was()
    {
        byte[] key;
        await using (var relay = await RelayFixture.StartAsync(o => o with { DataDirectory = _data }))
        {
            key = relay.Server.LogPublicKey;
        }

        var store = Path.Combine(_data, DataDirectory.LogKeyStoreFolder, Enigm.Keys.Storage.KeyStoreFile.FileName);
        var before = File.ReadAllBytes(store);

        var refused = await Assert.ThrowsAsync<RelayConfigurationException>(() => RelayFixture.StartAsync(o => o with { DataDirectory = _data, LogKeyProtection = RelayLogKeyProtection.Tpm }));
        Assert.Contains("not the TPM asked for", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(store));
        Assert.Equal(PassphraseProtector.KindName, StoredProtectorKind());

        // The passphrase relay still starts with the same key.
        await using var again = await RelayFixture.StartAsync(o => o with { DataDirectory = _data });
        Assert.Equal(key, again.Server.LogPublicKey);
    }

    /// <summary>The protector kind the log key store's own descriptor names, read without unlocking it.</summary>
    private string StoredProtectorKind()
    {
        string? kind = null;
        try
        {
            KeyRing.Open(Path.Combine(_data, DataDirectory.LogKeyStoreFolder, Enigm.Keys.Storage.KeyStoreFile.FileName), d =>
            {
                kind = d.Kind;
                throw new OperationCanceledException("only the descriptor was wanted");
            }).Dispose();
        }
        catch (OperationCanceledException)
        {
            // Expected: the ring was never unlocked.
        }

        return kind ?? throw new InvalidOperationException("the key store named no protector");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(_data)!, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
