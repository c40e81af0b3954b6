using System.Globalization;
using System.Text.RegularExpressions;

namespace Enigm.Keys.Protection;

/// <summary>
/// PCRs a sealed KEK is bound to (TPM 2.0 Part 1, 19.7.1: PolicyPCR), in tpm2-tools notation
/// <c>bank:i,j,…</c> such as <c>sha256:0,7</c>. Unsealing fails once any selected PCR differs from its
/// value at sealing time — e.g. after a firmware or Secure Boot change for PCRs 0 and 7.
/// </summary>
public sealed partial record TpmPcrSelection
{
    /// <summary>PCR indexes 0..23 exist on every PC-client TPM 2.0 (TCG PC Client Platform TPM Profile).</summary>
    public const int MaxPcrIndex = 23;

    private static readonly string[] Banks = ["sha1", "sha256", "sha384", "sha512"];

    public TpmPcrSelection(string bank, IEnumerable<int> pcrs)
    {
        ArgumentNullException.ThrowIfNull(bank);
        ArgumentNullException.ThrowIfNull(pcrs);
        if (!Banks.Contains(bank))
            throw new ArgumentException($"PCR bank must be one of {string.Join(", ", Banks)}.", nameof(bank));
        var sorted = pcrs.Distinct().Order().ToArray();
        if (sorted.Length == 0 || sorted[0] < 0 || sorted[^1] > MaxPcrIndex)
            throw new ArgumentException($"Select at least one PCR in 0..{MaxPcrIndex}.", nameof(pcrs));
        Bank = bank;
        Pcrs = sorted;
    }

    public string Bank { get; }

    /// <summary>Sorted, distinct PCR indexes.</summary>
    public IReadOnlyList<int> Pcrs { get; }

    /// <summary>Parses <c>sha256:0,7</c>; throws <see cref="FormatException"/> otherwise.</summary>
    public static TpmPcrSelection Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = SelectionPattern().Match(text);
        if (!match.Success)
            throw new FormatException("A PCR selection looks like 'sha256:0,7'.");
        try
        {
            return new TpmPcrSelection(
                match.Groups["bank"].Value,
                match.Groups["pcrs"].Value.Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)));
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    public bool Equals(TpmPcrSelection? other) =>
        other is not null && Bank == other.Bank && Pcrs.SequenceEqual(other.Pcrs);

    public override int GetHashCode() => HashCode.Combine(Bank, string.Join(',', Pcrs));

    /// <summary>The tpm2-tools PCR list form, e.g. <c>sha256:0,7</c>.</summary>
    public override string ToString() =>
        $"{Bank}:{string.Join(',', Pcrs.Select(p => p.ToString(CultureInfo.InvariantCulture)))}";

    [GeneratedRegex("^(?<bank>[a-z0-9]{3,8}):(?<pcrs>[0-9]{1,2}(,[0-9]{1,2}){0,23})$", RegexOptions.CultureInvariant)]
    private static partial Regex SelectionPattern();
}
