using Enigm.Crypto.Secrets;
using Enigm.Keys.Protection;
using Enigm.Messaging.Prekeys;

namespace Enigm.Client.Tests.Support;

/// <summary>
/// Device homes in a temporary folder, with the test Argon2id costs and a small prekey policy. Also compiled into
/// Enigm.Center.Tests (linked in its csproj).
/// </summary>
public sealed class TestDevices : IDisposable
{
    public const string Passphrase = "a long enough passphrase for the client tests";

    public string Folder { get; } = Directory.CreateTempSubdirectory("enigm-client-").FullName;

    public static PassphraseProtector Protector(string passphrase = Passphrase) =>
        new(() => SecretBytes.CopyFrom(System.Text.Encoding.UTF8.GetBytes(passphrase)), new Argon2idSettings(Argon2idSettings.MinMemoryKiB, 1, 1));

    public string Home(string name) => Path.Combine(Folder, name);

    public ClientOptions Options(string name, Uri? server) => new()
    {
        Home = Home(name),
        Server = server,
        PrekeyPolicy = new PrekeyPolicy(OneTimePrekeys: 4, OneTimeKemPrekeys: 3, LowWaterMark: 2),
    };

    public Task<EnigmClient> CreateAsync(string name, Uri server) =>
        EnigmClient.CreateAccountAsync(Options(name, server), name, Protector());

    public EnigmClient Open(string name, string passphrase = Passphrase) =>
        EnigmClient.Open(Options(name, null), _ => Protector(passphrase));

    /// <summary>Links a new device <paramref name="name"/> to <paramref name="existing"/>'s account, both sides confirming the SAS they show.</summary>
    public async Task<EnigmClient> LinkAsync(EnigmClient existing, string name, Uri server)
    {
        using var pending = await EnigmClient.StartLinkAsync(Options(name, server), name, Protector());
        var newSide = pending.WaitForSasAsync(TimeSpan.FromSeconds(30));
        using var approval = await existing.ApproveLinkAsync(pending.LinkCode, TimeSpan.FromSeconds(30));
        var sas = await newSide;
        if (!sas.SameAs(approval.Sas)) throw new InvalidOperationException("The two devices show different SAS.");
        var existingSide = approval.CompleteAsync(true, TimeSpan.FromSeconds(30));
        var linked = await pending.CompleteAsync(true, TimeSpan.FromSeconds(30));
        await existingSide;
        return linked;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
