using System.Security.Cryptography;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;

namespace Enigm.Messaging.Prekeys;

/// <summary>
/// How many prekeys a device keeps and how long the rotated ones live. The periods match Enigm.Keys'
/// rotation policy for the <c>signed-prekey</c> and <c>kem-prekey</c> purposes (7 days, then 7 days' grace
/// during which initial messages made against the old key still succeed).
/// </summary>
public sealed record PrekeyPolicy(
    int OneTimePrekeys = 100,
    int OneTimeKemPrekeys = 100,
    int LowWaterMark = 20,
    TimeSpan? SignedPrekeyLifetime = null,
    TimeSpan? LastResortLifetime = null,
    TimeSpan? RetiredKeyGrace = null)
{
    public static PrekeyPolicy Default { get; } = new();

    public TimeSpan SignedPrekeyPeriod => SignedPrekeyLifetime ?? TimeSpan.FromDays(7);

    public TimeSpan LastResortPeriod => LastResortLifetime ?? TimeSpan.FromDays(7);

    public TimeSpan Grace => RetiredKeyGrace ?? TimeSpan.FromDays(7);
}

/// <summary>
/// The owner of this device's prekeys (PQXDH 3.2 "Publishing keys"): generates them into an
/// <see cref="IPrekeyStore"/>, rotates the signed prekey and the last-resort KEM prekey, replenishes one-time
/// prekeys when they run low, retires rotated keys after a grace period, and signs the bundle to publish.
/// The device key is borrowed, never kept beyond this object nor disposed by it.
/// </summary>
public sealed class DevicePrekeys(MessagingIdentity identity, PrivateKey deviceKey, IPrekeyStore store, PrekeyPolicy? policy = null, CryptoProviders? providers = null, TimeProvider? time = null)
{
    private readonly PrekeyPolicy _policy = policy ?? PrekeyPolicy.Default;
    private readonly CryptoProviders _providers = providers ?? CryptoProviders.Default;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private Suite Suite => identity.Identity.Suite;

    /// <summary>True when either kind of one-time prekey is below the low-water mark: time to <see cref="Maintain"/> and publish.</summary>
    public bool NeedsReplenishment =>
        store.Count(PrekeyKind.OneTimePrekey) < _policy.LowWaterMark || store.Count(PrekeyKind.OneTimeKemPrekey) < _policy.LowWaterMark;

    /// <summary>
    /// Brings the store in line with the policy: a current signed prekey and last-resort KEM prekey (rotated once
    /// older than their period), retired ones deleted after the grace period, one-time prekeys topped up to the
    /// targets. Returns how many keys were made.
    /// </summary>
    public int Maintain()
    {
        var now = _time.GetUtcNow();
        var made = 0;
        made += EnsureCurrent(PrekeyKind.SignedPrekey, _policy.SignedPrekeyPeriod, now);
        made += EnsureCurrent(PrekeyKind.LastResortKemPrekey, _policy.LastResortPeriod, now);
        made += TopUp(PrekeyKind.OneTimePrekey, _policy.OneTimePrekeys, now);
        made += TopUp(PrekeyKind.OneTimeKemPrekey, _policy.OneTimeKemPrekeys, now);
        return made;
    }

    /// <summary>Makes a new signed prekey now (for example after suspected exposure); the old one is retired after the grace period.</summary>
    public PrekeyRecord RotateSignedPrekey() => Generate(PrekeyKind.SignedPrekey, 1, _time.GetUtcNow())[0];

    /// <summary>Makes a new last-resort KEM prekey now; the old one is retired after the grace period.</summary>
    public PrekeyRecord RotateLastResortKemPrekey() => Generate(PrekeyKind.LastResortKemPrekey, 1, _time.GetUtcNow())[0];

    /// <summary>
    /// <see cref="Maintain"/>s the store, then signs and returns the bundle to upload: the newest signed and
    /// last-resort prekeys and every one-time prekey still held (at most <see cref="PrekeyBundle.MaxOneTimePrekeys"/> of each).
    /// </summary>
    public byte[] PublishBundle()
    {
        Maintain();
        var signedPrekey = store.List(PrekeyKind.SignedPrekey)[^1];
        var lastResort = store.List(PrekeyKind.LastResortKemPrekey)[^1];
        var oneTime = store.List(PrekeyKind.OneTimePrekey).Take(PrekeyBundle.MaxOneTimePrekeys).Select(ToPublic).ToList();
        var oneTimeKem = store.List(PrekeyKind.OneTimeKemPrekey).Take(PrekeyBundle.MaxOneTimePrekeys).Select(ToPublic).ToList();
        var commitments = oneTimeKem.Select(k => new KemCommitment(k.Id, SHA256.HashData(k.Key))).ToList();

        var header = FormatHeader.For(Suite, ObjectType.PrekeyBundle);
        var issuedAt = DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());
        var body = identity.Body(_time);
        var signedPart = PrekeyBundle.EncodeSignedPart(body, ToPublic(signedPrekey), ToPublic(lastResort), commitments, issuedAt);
        var signature = DeviceSignatures.Sign(_providers, deviceKey, PrekeyBundle.SignedMessageFor(header, signedPart));
        return new PrekeyBundle(header, signedPart, body, ToPublic(signedPrekey), ToPublic(lastResort), commitments, issuedAt, signature, oneTime, oneTimeKem).Encode();
    }

    private int EnsureCurrent(PrekeyKind kind, TimeSpan period, DateTimeOffset now)
    {
        var keys = store.List(kind);
        var made = 0;
        if (keys.Count == 0 || now - keys[^1].CreatedAt >= period)
        {
            Generate(kind, 1, now);
            made = 1;
            keys = store.List(kind);
        }

        // A retired key stays usable for the grace period after its successor was made, then goes.
        for (var i = 0; i < keys.Count - 1; i++)
        {
            if (now - keys[i + 1].CreatedAt >= _policy.Grace) store.Delete(kind, keys[i].Id);
        }

        return made;
    }

    private int TopUp(PrekeyKind kind, int target, DateTimeOffset now)
    {
        var missing = Math.Min(target, PrekeyBundle.MaxOneTimePrekeys) - store.Count(kind);
        if (missing <= 0) return 0;
        Generate(kind, missing, now);
        return missing;
    }

    private List<PrekeyRecord> Generate(PrekeyKind kind, int count, DateTimeOffset now)
    {
        var first = store.AllocateIds(count);
        var records = new List<PrekeyRecord>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var key = kind is PrekeyKind.SignedPrekey or PrekeyKind.OneTimePrekey
                    ? _providers.KeyAgreement(Suite.SessionKeyAgreement).GenerateKey()
                    : _providers.Kem(Suite.SessionKem).GenerateKeyPair();
                records.Add(new PrekeyRecord(kind, first + (uint)i, key, now));
            }

            store.Add(records);
            return records;
        }
        catch
        {
            foreach (var record in records) record.Key.Dispose();
            throw;
        }
    }

    private static PublicPrekey ToPublic(PrekeyRecord record) => new(record.Id, record.Key.PublicKey);
}
