namespace Enigm.Trust.DeviceLog;

/// <summary>
/// The newest entry of a log as a verifier saw it: its sequence number and the SHA-256 of its encoding.
/// Remembering it is what lets a later verification detect a rollback or a fork. Public data.
/// </summary>
public sealed record DeviceLogHead
{
    public const int HashLength = 32;

    private readonly byte[] _hash;

    public DeviceLogHead(long sequence, ReadOnlySpan<byte> hash)
    {
        if (sequence < 0) throw new ArgumentOutOfRangeException(nameof(sequence), "A sequence number is not negative.");
        if (hash.Length != HashLength) throw new ArgumentException($"A head hash is {HashLength} bytes.", nameof(hash));
        Sequence = sequence;
        _hash = hash.ToArray();
    }

    public long Sequence { get; }

    /// <summary>SHA-256 of the encoded entry at <see cref="Sequence"/>.</summary>
    public ReadOnlySpan<byte> Hash => _hash;

    public string HashHex => Convert.ToHexStringLower(_hash);

    public bool Equals(DeviceLogHead? other) => other is not null && Sequence == other.Sequence && _hash.AsSpan().SequenceEqual(other._hash);

    public override int GetHashCode() => HashCode.Combine(Sequence, BitConverter.ToInt32(_hash, 0));

    public override string ToString() => $"{Sequence}:{HashHex}";
}
