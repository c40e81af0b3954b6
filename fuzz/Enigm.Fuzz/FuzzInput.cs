using Enigm.Crypto.Errors;

namespace Enigm.Fuzz;

/// <summary>
/// Splits a fuzz input into the fields a target needs. Reading past the end yields empty fields rather
/// than an exception, so short inputs still reach the decoder under test (which must reject them).
/// </summary>
internal ref struct FuzzInput(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public readonly ReadOnlySpan<byte> Rest => _rest;

    /// <summary>The next byte, or a typed rejection when the input is exhausted.</summary>
    public byte Byte()
    {
        if (_rest.IsEmpty) throw new MalformedInputException("fuzz input too short for its selector bytes");
        var value = _rest[0];
        _rest = _rest[1..];
        return value;
    }

    /// <summary>Up to <paramref name="length"/> bytes (fewer when the input runs out).</summary>
    public ReadOnlySpan<byte> Bytes(int length)
    {
        var taken = _rest[..Math.Min(length, _rest.Length)];
        _rest = _rest[taken.Length..];
        return taken;
    }

    /// <summary>Picks an element of <paramref name="items"/> with the next byte (modulo the count).</summary>
    public T Select<T>(IReadOnlyList<T> items) => items[Byte() % items.Count];
}
