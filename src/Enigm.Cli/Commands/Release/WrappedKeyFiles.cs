using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Protection;
using Enigm.Ota.Metadata;

namespace Enigm.Cli.Commands.Release;

/// <summary>
/// TUF signing keys whose algorithm the key store does not assign to a purpose (Ed25519 for classical
/// repositories, pure ML-DSA-87, or a type other than the purpose's): kept in <c>HOME/tuf-keys/</c>,
/// each private key wrapped with the key store's own AES-256-GCM wrapping (<see cref="KeyWrapping"/>)
/// under a key-encryption key derived from the passphrase with Argon2id (<see cref="PassphraseProtector"/>).
/// </summary>
internal sealed class WrappedKeyFiles(string folder, Argon2idSettings argon)
{
    private const string StoreId = "enigm-tuf-keys";
    private const int MaxFileBytes = 256 * 1024;

    private SecretBytes? _kek;

    private string DescriptorFile => Path.Combine(folder, "kek.descriptor");

    public bool Exists => File.Exists(DescriptorFile);

    /// <summary>Wraps and stores <paramref name="key"/> under its TUF keyid.</summary>
    public void Store(PrivateKey key, string purpose)
    {
        var tufKey = TufKey.Create((SignatureAlgorithm)key.Algorithm, key.PublicKey);
        using var material = key.ExportPrivateMaterial();
        using var encoded = new SecretBytes(material.Length + 1);
        encoded.WritableSpan[0] = (byte)key.Format;
        material.Span.CopyTo(encoded.WritableSpan[1..]);
        var wrapped = KeyWrapping.Wrap(Kek(create: true), encoded.Span, Context(tufKey.KeyId, purpose, key.Algorithm.Name));
        var json = new JsonObjectValue(
        [
            new("algorithm", new JsonStringValue(key.Algorithm.Name)),
            new("purpose", new JsonStringValue(purpose)),
            new("public", new JsonStringValue(Convert.ToHexStringLower(key.PublicKey))),
            new("nonce", new JsonStringValue(Convert.ToHexStringLower(wrapped.Nonce))),
            new("ciphertext", new JsonStringValue(Convert.ToHexStringLower(wrapped.Ciphertext))),
        ]);
        File.WriteAllBytes(Path.Combine(folder, tufKey.KeyId + ".key"), CanonicalJson.Serialize(json));
    }

    /// <summary>Every stored key, unwrapped; the caller disposes them.</summary>
    public IReadOnlyList<PrivateKey> LoadAll()
    {
        if (!Exists) return [];
        var keys = new List<PrivateKey>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.key").Order(StringComparer.Ordinal))
            keys.Add(Load(file));
        return keys;
    }

    private PrivateKey Load(string file)
    {
        var info = new FileInfo(file);
        if (info.Length > MaxFileBytes) throw new MalformedInputException($"{file} is larger than a key file can be.");
        var json = CanonicalJson.ParseObject(File.ReadAllBytes(file));
        var algorithm = CryptoAlgorithm.All.FirstOrDefault(a => a.Name == json.RequiredString("algorithm")) as SignatureAlgorithm
            ?? throw new MalformedInputException($"{file}: not a signature algorithm.");
        var publicKey = FromHex(json, "public", file);
        if (publicKey.Length != algorithm.PublicKeySize) throw new MalformedInputException($"{file}: public key has the wrong length.");
        var keyId = TufKey.Create(algorithm, publicKey).KeyId;
        var wrapped = new WrappedKey(FromHex(json, "nonce", file), FromHex(json, "ciphertext", file));
        using var encoded = KeyWrapping.Unwrap(Kek(create: false), wrapped, Context(keyId, json.RequiredString("purpose"), algorithm.Name));
        if (encoded.Length < 2 || !Enum.IsDefined((PrivateKeyFormat)encoded.Span[0])) throw new MalformedInputException($"{file}: bad key material.");
        return new PrivateKey(algorithm, SecretBytes.CopyFrom(encoded.Span[1..]), (PrivateKeyFormat)encoded.Span[0], publicKey);
    }

    private static byte[] FromHex(JsonObjectValue json, string member, string file)
    {
        try
        {
            return Convert.FromHexString(json.RequiredString(member));
        }
        catch (FormatException e)
        {
            throw new MalformedInputException($"{file}: {member} is not hex.", e);
        }
    }

    private static WrapContext Context(string keyId, string purpose, string algorithm) => new(StoreId, keyId, purpose, 1, algorithm, 0);

    private SecretBytes Kek(bool create)
    {
        if (_kek is not null) return _kek;
        var protector = new PassphraseProtector(KeyStoreSession.ReadPassphrase, argon);
        if (Exists)
        {
            _kek = protector.Unlock(new ProtectorDescriptor(PassphraseProtector.KindName, File.ReadAllBytes(DescriptorFile)));
            return _kek;
        }

        if (!create) throw new MalformedInputException($"{folder} has keys but no key-encryption key descriptor.");
        Directory.CreateDirectory(folder);
        var (descriptor, kek) = protector.Create();
        File.WriteAllBytes(DescriptorFile, descriptor.Parameters);
        _kek = kek;
        return kek;
    }

    public void ForgetKek()
    {
        _kek?.Dispose();
        _kek = null;
    }
}
