using Enigm.Crypto.Secrets;
using Enigm.Keys.Errors;

namespace Enigm.Keys.Protection;

/// <summary>Chooses the protector that can reopen a store from the descriptor the store keeps.</summary>
public static class ProtectorRegistry
{
    /// <summary>Protector kinds this build knows.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [PassphraseProtector.KindName, TpmProtector.KindName];

    /// <param name="descriptor">The store's descriptor.</param>
    /// <param name="passphrase">Passphrase source (UTF-8), used only by the passphrase protector.</param>
    /// <param name="tcti">TPM TCTI, used only by the TPM protector; null means ENIGM_TPM_TCTI or the default device.</param>
    /// <param name="cancellation">Passed to the passphrase protector: stops waiting for Argon2id (Ctrl-C).</param>
    /// <exception cref="ProtectorUnavailableException">The kind is not one this build supports.</exception>
    /// <exception cref="Enigm.Crypto.Errors.MalformedInputException">The descriptor's parameters are corrupt.</exception>
    public static IKeyProtector ForDescriptor(ProtectorDescriptor descriptor, Func<SecretBytes> passphrase, string? tcti, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(passphrase);
        return descriptor.Kind switch
        {
            // Unlock reads the costs from the descriptor; keeping them as the protector's settings means
            // a rewrap under this protector keeps the store's costs unless the caller asks for others.
            PassphraseProtector.KindName => new PassphraseProtector(passphrase, PassphraseProtector.SettingsOf(descriptor), cancellation),
            TpmProtector.KindName => new TpmProtector(tcti, TpmProtector.PcrPolicyOf(descriptor)),
            var kind => throw new ProtectorUnavailableException(Printable(kind), "this build does not know this kind of protector"),
        };
    }

    private static string Printable(string? text) =>
        new([.. (text ?? "").Take(32).Select(c => c is >= ' ' and <= '~' ? c : '?')]);
}
