using Enigm.Crypto.Errors;
using Enigm.Keys.Errors;

namespace Enigm.Cli.Output;

/// <summary>
/// The documented exit codes of <c>enigm</c> (README, "Exit codes"). Each failure family of the
/// crypto core has its own code so scripts can tell a tampered input from a refused suite.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A check the command performs failed (a demo claim, a self-test vector).</summary>
    public const int CheckFailed = 1;

    /// <summary>Bad command line.</summary>
    public const int Usage = 2;

    public const int MalformedInput = 10;
    public const int SignatureInvalid = 11;
    public const int DecryptionFailed = 12;
    public const int InvalidKey = 13;
    public const int UnknownSuite = 14;
    public const int SuiteRefused = 15;
    public const int UnsupportedFormatVersion = 16;
    public const int AlgorithmUnavailable = 17;
    public const int WrongPassphrase = 20;
    public const int KeyNotFound = 21;
    public const int IllegalTransition = 22;
    public const int KeyUsageDenied = 23;
    public const int KeyIntegrity = 24;
    public const int ProtectorUnavailable = 25;
    public const int KeyStore = 26;
    public const int AuditTampered = 27;
    public const int RevocationInvalid = 28;

    /// <summary>A bug: an exception that is not one of Enigm's typed errors.</summary>
    public const int InternalError = 70;

    public static int For(EnigmCryptoException error) => error switch
    {
        MalformedInputException => MalformedInput,
        SignatureInvalidException => SignatureInvalid,
        DecryptionFailedException => DecryptionFailed,
        InvalidKeyException => InvalidKey,
        UnknownSuiteException => UnknownSuite,
        SuiteRefusedException => SuiteRefused,
        UnsupportedFormatVersionException => UnsupportedFormatVersion,
        AlgorithmUnavailableException => AlgorithmUnavailable,
        WrongPassphraseException => WrongPassphrase,
        Keys.Errors.KeyNotFoundException => KeyNotFound,
        IllegalKeyTransitionException => IllegalTransition,
        KeyUsageDeniedException => KeyUsageDenied,
        KeyIntegrityException => KeyIntegrity,
        ProtectorUnavailableException => ProtectorUnavailable,
        KeyStoreException => KeyStore,
        AuditLogTamperedException => AuditTampered,
        RevocationInvalidException => RevocationInvalid,
        _ => InternalError,
    };

    /// <summary>Every code with its meaning, for <c>--help</c> and the README.</summary>
    public static IReadOnlyList<(int Code, string Meaning)> Table { get; } =
    [
        (Ok, "success"),
        (CheckFailed, "a check failed (demo claim, self-test vector)"),
        (Usage, "invalid command line"),
        (MalformedInput, "malformed input (bad encoding, wrong length, trailing bytes, over the size limit)"),
        (SignatureInvalid, "signature does not verify"),
        (DecryptionFailed, "decryption or unwrap failed authentication"),
        (InvalidKey, "invalid key"),
        (UnknownSuite, "unknown algorithm suite"),
        (SuiteRefused, "algorithm suite refused by policy"),
        (UnsupportedFormatVersion, "unsupported format version"),
        (AlgorithmUnavailable, "algorithm or provider unavailable on this platform"),
        (WrongPassphrase, "wrong passphrase (the store is unchanged)"),
        (KeyNotFound, "no such key"),
        (IllegalTransition, "key lifecycle transition not allowed"),
        (KeyUsageDenied, "key state does not allow this use"),
        (KeyIntegrity, "a stored key failed its integrity check"),
        (ProtectorUnavailable, "key protector (TPM, OS store) unavailable"),
        (KeyStore, "key store missing, already present or unreadable"),
        (AuditTampered, "audit log fails verification"),
        (RevocationInvalid, "revocation statement invalid"),
        (InternalError, "internal error (a bug: please report)"),
    ];
}
