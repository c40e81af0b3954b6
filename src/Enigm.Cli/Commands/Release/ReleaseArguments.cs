using Enigm.Cli.Output;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;
using Enigm.Ota.Metadata;
using Enigm.Ota.Repository;

namespace Enigm.Cli.Commands.Release;

/// <summary>Parsing of <c>enigm release</c> option values; a bad value is a <see cref="UsageException"/>.</summary>
internal static class ReleaseArguments
{
    public const string KeyTypes = "ed25519, composite (id-MLDSA87-ECDSA-P384-SHA512), ml-dsa (ML-DSA-87), slh-dsa (SLH-DSA-SHA2-256s) or suite (root: slh-dsa, other roles: composite)";

    public static SignatureAlgorithm KeyType(string name, string role) => name switch
    {
        "ed25519" => SignatureAlgorithm.Ed25519,
        "composite" => SignatureAlgorithm.MlDsa87EcdsaP384,
        "ml-dsa" => SignatureAlgorithm.MlDsa87,
        "slh-dsa" => SignatureAlgorithm.SlhDsaSha2_256s,
        "suite" => HolderKeys.SuiteAlgorithm(role),
        _ => throw new UsageException($"unknown key type '{name}' ({KeyTypes})"),
    };

    public static string TopLevelRole(string role) =>
        RootMetadata.TopLevelRoles.Contains(role) ? role : throw new UsageException($"unknown role '{role}' (root, targets, snapshot, timestamp)");

    /// <summary>Splits repeated <c>ROLE=VALUE</c> options.</summary>
    public static IEnumerable<(string Role, string Value)> RoleValues(IEnumerable<string>? values, string option)
    {
        foreach (var value in values ?? [])
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) throw new UsageException($"{option} expects ROLE=VALUE, got '{value}'");
            yield return (TopLevelRole(value[..equals]), value[(equals + 1)..]);
        }
    }

    public static int Threshold(string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : throw new UsageException($"threshold '{text}' is not a positive integer");

    /// <summary>A metadata lifetime (<c>--expires ROLE=DURATION</c>), within what a repository accepts.</summary>
    public static TimeSpan Duration(string text)
    {
        TimeSpan duration;
        try
        {
            duration = RotationPolicy.ParseDuration(text);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message, e);
        }

        // Also keeps "now + lifetime" a representable date.
        if (duration < RepositorySettings.MinExpiry || duration > RepositorySettings.MaxExpiry)
            throw new UsageException($"lifetime '{text}' is outside 1 minute to 100 years");
        return duration;
    }

    public static Argon2idSettings Argon(string name) => name switch
    {
        "interactive" => Argon2idSettings.Interactive,
        "moderate" => Argon2idSettings.Moderate,
        "sensitive" => Argon2idSettings.Sensitive,
        _ => throw new UsageException($"unknown Argon2id preset '{name}' (interactive, moderate, sensitive)"),
    };

    /// <summary>Reads a public key file written by <c>enigm release keygen</c> (untrusted: size-limited, typed errors).</summary>
    public static TufKey PublicKeyFile(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new UsageException($"key file {path} does not exist");
        // Bounded on the bytes read, not the reported size (/dev/zero reports 0 and never ends).
        var bytes = InputFile.Read(path, 64 * 1024, p => new MalformedInputException($"{p} is larger than a public key file can be."));
        var key = TufKey.FromJson(CanonicalJson.ParseObject(bytes));
        if (!key.IsSupported) throw new MalformedInputException($"{path}: key type {key.KeyType}/{key.Scheme} is not supported.");
        return key;
    }

    public static IReadOnlyList<string> List(string? text) =>
        text is null ? [] : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
