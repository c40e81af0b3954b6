namespace Enigm.Fuzz;

/// <summary>
/// Deterministic mutations of a seed, for replay without AFL (unit test, <c>--replay --mutate</c>):
/// truncations, single-bit flips spread over the input, appended bytes and, for a JSON seed, structure-aware mutants
/// of its base64 fields (<see cref="JsonFieldMutations"/>). The same seed always gives
/// the same mutants, so a failure reproduces.
/// </summary>
public static class Mutations
{
    /// <summary>Up to about <paramref name="flips"/> bit flips plus a fixed set of truncations and extensions.</summary>
    public static IEnumerable<(string Label, byte[] Bytes)> Of(byte[] seed, int flips = 48)
    {
        ArgumentNullException.ThrowIfNull(seed);
        foreach (var length in new[] { 0, 1, seed.Length / 2, seed.Length - 1 }.Where(l => l >= 0 && l < seed.Length).Distinct())
            yield return ($"truncate-{length}", seed[..length]);

        if (seed.Length > 0)
        {
            // Evenly spread positions, always including the first bytes (selectors and headers live there).
            var step = Math.Max(1, seed.Length / flips);
            var positions = Enumerable.Range(0, Math.Min(seed.Length, 8))
                .Concat(Enumerable.Range(0, seed.Length / step).Select(k => k * step))
                .Append(seed.Length - 1)
                .Distinct();
            foreach (var position in positions)
            {
                var bit = position % 8;
                var mutant = (byte[])seed.Clone();
                mutant[position] ^= (byte)(1 << bit);
                yield return ($"flip-{position}.{bit}", mutant);
            }
        }

        yield return ("append-00", [.. seed, 0x00]);
        yield return ("append-ff", [.. seed, 0xFF]);
        yield return ("append-16", [.. seed, .. Enumerable.Range(0, 16).Select(i => (byte)(i * 17))]);

        // JSON bodies: also mutate the decoded bytes of their base64 fields (JsonFieldMutations).
        foreach (var mutant in JsonFieldMutations.Of(seed)) yield return mutant;
    }
}
