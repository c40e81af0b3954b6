using System.Text.Json;
using Enigm.Keys.Errors;
using Enigm.Keys.Model;

namespace Enigm.Keys;

/// <summary>
/// The store's rotation policy: the defaults (or <see cref="KeyRingOptions.Rotation"/>) with the store's
/// own overrides on top. Overrides are kept in the store's metadata, authenticated like the key rows,
/// and every change is audited.
/// </summary>
public sealed partial class KeyRing
{
    private const string PolicySetting = "rotation_policy";
    private const string PolicyMacSetting = "rotation_policy_mac";

    /// <summary>Largest stored duration read back as a TimeSpan (about 290 years; anything above is unusable).</summary>
    private const long MaxStoredSeconds = 1L << 33;

    /// <summary>The rotation policy in force for this store.</summary>
    public RotationPolicy Rotation
    {
        get
        {
            var policy = Options.Rotation;
            foreach (var (purpose, rule) in StoredOverrides()) policy = policy.With(purpose, rule);
            return policy;
        }
    }

    /// <summary>Sets the cryptoperiod and grace window for new keys (and rotations) of one purpose.</summary>
    public void SetRotationRule(KeyPurpose purpose, RotationRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (RotationPolicy.Problem(rule) is { } problem)
            throw new ArgumentOutOfRangeException(nameof(rule), $"Rotation rule for {purpose.ToName()}: {problem}.");
        var overrides = new Dictionary<KeyPurpose, RotationRule>(StoredOverrides()) { [purpose] = rule };
        var json = JsonSerializer.Serialize(overrides.ToDictionary(
            p => p.Key.ToName(),
            p => new[] { (long)p.Value.Cryptoperiod.TotalSeconds, (long)p.Value.Grace.TotalSeconds }));
        Commit(tx =>
        {
            tx.SetSetting(PolicySetting, json);
            tx.SetSetting(PolicyMacSetting, Convert.ToBase64String(_rows.ComputeSetting(PolicySetting, json)));
            tx.AppendAudit("policy-changed", null,
                $"purpose={purpose.ToName()} cryptoperiod={RotationPolicy.FormatDuration(rule.Cryptoperiod)} grace={RotationPolicy.FormatDuration(rule.Grace)}", Now);
        });
    }

    private Dictionary<KeyPurpose, RotationRule> StoredOverrides()
    {
        var json = _store.Setting(PolicySetting);
        if (json is null) return [];
        var mac = _store.Setting(PolicyMacSetting);
        if (mac is null || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                Convert.FromBase64String(mac), _rows.ComputeSetting(PolicySetting, json)))
            throw new KeyStoreException("The store's rotation policy was modified outside Enigm (authentication failed).");

        var result = new Dictionary<KeyPurpose, RotationRule>();
        foreach (var (name, values) in JsonSerializer.Deserialize<Dictionary<string, long[]>>(json)!)
        {
            if (!KeyPurposeNames.TryParse(name, out var purpose) || values.Length != 2)
                throw new KeyStoreException($"The store's rotation policy names an unknown purpose '{name}'.");
            // Stores written before the bounds existed may hold values TimeSpan cannot even represent.
            result[purpose] = values[0] is >= 0 and <= MaxStoredSeconds && values[1] is >= 0 and <= MaxStoredSeconds
                ? new RotationRule(TimeSpan.FromSeconds(values[0]), TimeSpan.FromSeconds(values[1]))
                : new RotationRule(TimeSpan.MaxValue, TimeSpan.MaxValue);
        }

        return result;
    }

    /// <summary>
    /// The rule a new key or rotation of <paramref name="purpose"/> uses. A stored rule outside the bounds
    /// (<see cref="RotationPolicy.Problem"/>; older versions accepted e.g. 9000y) is refused with
    /// <see cref="KeyStoreException"/> saying how to fix it, instead of failing deep inside a date sum.
    /// </summary>
    private RotationRule RuleFor(KeyPurpose purpose)
    {
        var rule = Rotation.For(purpose);
        return RotationPolicy.Problem(rule) is { } problem
            ? throw new KeyStoreException($"The store's rotation rule for {purpose.ToName()} is unusable: {problem}; set it again with 'enigm keys policy --purpose {purpose.ToName()} --period …'.")
            : rule;
    }
}
