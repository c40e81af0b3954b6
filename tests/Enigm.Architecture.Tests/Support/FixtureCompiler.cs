using Enigm.Architecture.Tests.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Enigm.Architecture.Tests.Support;

/// <summary>
/// Compiles small C# sources in memory (Roslyn) into the rule-breaking assemblies of the negative tests,
/// against the base framework and, where a test needs them, stand-in libraries compiled the same way
/// (a fake Npgsql or Enigm.Messaging has the namespace and assembly name the rules look for).
/// </summary>
internal static class FixtureCompiler
{
    // The base framework only (the folder of System.Private.CoreLib): not this test's own dependencies,
    // so a stand-in "Microsoft.Data.Sqlite" or "Enigm.Messaging" does not clash with the real one.
    private static readonly Lazy<IReadOnlyList<MetadataReference>> Framework = new(() =>
        [.. Directory.GetFiles(System.IO.Path.GetDirectoryName(typeof(object).Assembly.Location)!, "*.dll")
            .Where(IsManagedAssembly)
            .Select(p => MetadataReference.CreateFromFile(p))]);

    private static bool IsManagedAssembly(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        return pe.HasMetadata;
    }

    /// <summary>Compiles <paramref name="source"/> as a library named <paramref name="assemblyName"/>; returns its image.</summary>
    public static byte[] Compile(string assemblyName, string source, params IEnumerable<MetadataReference> references)
    {
        var compilation = CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(source)],
            [.. Framework.Value, .. references],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
            throw new InvalidOperationException("Fixture does not compile: " + string.Join("; ", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return image.ToArray();
    }

    /// <summary>A reference to a compiled fixture, for a second fixture that uses it.</summary>
    public static MetadataReference Reference(byte[] image) => MetadataReference.CreateFromImage(image);

    /// <summary>A reference to a real assembly of this repository (e.g. Enigm.Crypto), as shipped.</summary>
    public static MetadataReference Reference(System.Reflection.Assembly assembly) => MetadataReference.CreateFromFile(assembly.Location);

    public static AssemblyFacts Facts(byte[] image)
    {
        using var stream = new MemoryStream(image);
        return AssemblyFacts.Read(stream);
    }
}
