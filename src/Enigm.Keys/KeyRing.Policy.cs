using System.Text.Json;
using Enigm.Keys.Audit;
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
        if (rule.Cryptoperiod <= TimeSpan.Zero || rule.Grace < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(rule), "The cryptoperiod must be positive and the grace not negative.");
        var overrides = new Dictionary<KeyPurpose, RotationRule>(StoredOverrides()) { [purpose] = rule };
        var json = JsonSerializer.Serialize(overrides.ToDictionary(
            p => p.Key.ToName(),
            p => new[] { (long)p.Value.Cryptoperiod.TotalSeconds, (long)p.Value.Grace.TotalSeconds }));
        Commit(tx =>
        {
            _file.SetMeta(tx, PolicySetting, json);
            _file.SetMeta(tx, PolicyMacSetting, Convert.ToBase64String(_rows.ComputeSetting(PolicySetting, json)));
            AuditLog.Append(_file.Connection, tx, "policy-changed", null,
                $"purpose={purpose.ToName()} cryptoperiod={RotationPolicy.FormatDuration(rule.Cryptoperiod)} grace={RotationPolicy.FormatDuration(rule.Grace)}", Now);
        });
    }

    private Dictionary<KeyPurpose, RotationRule> StoredOverrides()
    {
        var json = _file.OptionalMeta(PolicySetting);
        if (json is null) return [];
        var mac = _file.OptionalMeta(PolicyMacSetting);
        if (mac is null || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                Convert.FromBase64String(mac), _rows.ComputeSetting(PolicySetting, json)))
            throw new KeyStoreException("The store's rotation policy was modified outside Enigm (authentication failed).");

        var result = new Dictionary<KeyPurpose, RotationRule>();
        foreach (var (name, values) in JsonSerializer.Deserialize<Dictionary<string, long[]>>(json)!)
        {
            if (!KeyPurposeNames.TryParse(name, out var purpose) || values.Length != 2)
                throw new KeyStoreException($"The store's rotation policy names an unknown purpose '{name}'.");
            result[purpose] = new RotationRule(TimeSpan.FromSeconds(values[0]), TimeSpan.FromSeconds(values[1]));
        }

        return result;
    }
}
