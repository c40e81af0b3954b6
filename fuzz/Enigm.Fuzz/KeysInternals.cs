using System.Reflection;
using Enigm.Keys.Audit;

namespace Enigm.Fuzz;

/// <summary>
/// Access to the internal descriptor codecs of <c>Enigm.Keys</c> (<c>PassphraseDescriptor</c>,
/// <c>TpmDescriptor</c>), which the harness fuzzes but which Enigm.Keys does not expose to it. Decoding goes
/// through a delegate bound once to the real static <c>Decode(ReadOnlyMemory&lt;byte&gt;)</c>, so the fuzzed
/// code path is exactly the one the key store runs; exceptions are not wrapped.
/// </summary>
internal sealed class KeysInternals
{
    private const BindingFlags Public = BindingFlags.Public | BindingFlags.Instance;

    private readonly Type _type;

    private KeysInternals(string typeName)
    {
        _type = typeof(AuditExport).Assembly.GetType(typeName, throwOnError: true)!;
        var decode = _type.GetMethod("Decode", BindingFlags.Public | BindingFlags.Static, [typeof(ReadOnlyMemory<byte>)])
            ?? throw new MissingMethodException(typeName, "Decode");
        Decode = decode.CreateDelegate<Func<ReadOnlyMemory<byte>, object>>();
    }

    public static KeysInternals PassphraseDescriptor { get; } = new("Enigm.Keys.Protection.PassphraseDescriptor");

    public static KeysInternals TpmDescriptor { get; } = new("Enigm.Keys.Protection.TpmDescriptor");

    /// <summary>The type's <c>Decode</c>: untrusted bytes in, a descriptor or a typed rejection out.</summary>
    public Func<ReadOnlyMemory<byte>, object> Decode { get; }

    /// <summary>A descriptor made with the record's own constructor (for seeds).</summary>
    public object Create(params object?[] arguments) =>
        Activator.CreateInstance(_type, BindingFlags.Public | BindingFlags.Instance | BindingFlags.DoNotWrapExceptions, null, arguments, null)!;

    /// <summary>The descriptor's own <c>Encode()</c>.</summary>
    public byte[] Encode(object descriptor) =>
        (byte[])_type.GetMethod("Encode", Public, Type.EmptyTypes)!.Invoke(descriptor, BindingFlags.DoNotWrapExceptions, null, null, null)!;

    public T Property<T>(object descriptor, string name) =>
        (T)_type.GetProperty(name, Public)!.GetValue(descriptor)!;
}
