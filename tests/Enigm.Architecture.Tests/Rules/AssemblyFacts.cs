using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Enigm.Architecture.Tests.Rules;

/// <summary>
/// What a compiled assembly uses and defines, read from its metadata (ECMA-335 tables) without loading
/// it: the assemblies and external types it references, the external members it calls or reads
/// (<c>Type::Member</c>), the names it defines, and its string literals and string constants.
/// Nested types are written <c>Outer+Inner</c>.
/// </summary>
public sealed record AssemblyFacts(
    string Name,
    IReadOnlySet<string> AssemblyReferences,
    IReadOnlySet<string> TypeReferences,
    IReadOnlySet<string> MemberReferences,
    IReadOnlyList<string> DefinedNames,
    IReadOnlyList<string> Strings)
{
    public static AssemblyFacts Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    public static AssemblyFacts Read(Stream stream)
    {
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var types = md.TypeReferences.Select(h => TypeReferenceName(md, h)).ToHashSet(StringComparer.Ordinal);
        var members = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in md.MemberReferences)
        {
            var member = md.GetMemberReference(handle);
            var parent = ParentName(md, member.Parent);
            if (parent is not null) members.Add($"{parent}::{md.GetString(member.Name)}");
        }

        return new AssemblyFacts(
            md.GetString(md.GetAssemblyDefinition().Name),
            md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToHashSet(StringComparer.Ordinal),
            types,
            members,
            ReadDefinedNames(md),
            ReadStrings(md));
    }

    private static string TypeReferenceName(MetadataReader md, TypeReferenceHandle handle)
    {
        var type = md.GetTypeReference(handle);
        var name = md.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
            return $"{TypeReferenceName(md, (TypeReferenceHandle)type.ResolutionScope)}+{name}";
        var ns = md.GetString(type.Namespace);
        return ns.Length == 0 ? name : $"{ns}.{name}";
    }

    private static string TypeDefinitionName(MetadataReader md, TypeDefinitionHandle handle)
    {
        var type = md.GetTypeDefinition(handle);
        var name = md.GetString(type.Name);
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil) return $"{TypeDefinitionName(md, declaring)}+{name}";
        var ns = md.GetString(type.Namespace);
        return ns.Length == 0 ? name : $"{ns}.{name}";
    }

    // A member's parent: an external type, a generic instantiation of one (List<T>::Add), or our own type.
    private static string? ParentName(MetadataReader md, EntityHandle parent) => parent.Kind switch
    {
        HandleKind.TypeReference => TypeReferenceName(md, (TypeReferenceHandle)parent),
        HandleKind.TypeDefinition => TypeDefinitionName(md, (TypeDefinitionHandle)parent),
        HandleKind.TypeSpecification => md.GetTypeSpecification((TypeSpecificationHandle)parent).DecodeSignature(new TypeNames(md), null),
        _ => null,
    };

    private static List<string> ReadDefinedNames(MetadataReader md)
    {
        var names = new List<string>();
        foreach (var handle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(handle);
            var typeName = TypeDefinitionName(md, handle);
            names.Add(typeName);
            names.AddRange(type.GetMethods().Select(m => $"{typeName}::{md.GetString(md.GetMethodDefinition(m).Name)}"));
            names.AddRange(type.GetFields().Select(f => $"{typeName}::{md.GetString(md.GetFieldDefinition(f).Name)}"));
            names.AddRange(type.GetProperties().Select(p => $"{typeName}::{md.GetString(md.GetPropertyDefinition(p).Name)}"));
            names.AddRange(type.GetEvents().Select(e => $"{typeName}::{md.GetString(md.GetEventDefinition(e).Name)}"));
        }

        return names;
    }

    // String literals (the #US heap, what ldstr loads) and string constants (const fields, default values).
    private static List<string> ReadStrings(MetadataReader md)
    {
        var strings = new List<string>();
        if (md.GetHeapSize(HeapIndex.UserString) > 1)
        {
            for (var handle = MetadataTokens.UserStringHandle(1); !handle.IsNil; handle = md.GetNextHandle(handle))
                strings.Add(md.GetUserString(handle));
        }

        for (var row = 1; row <= md.GetTableRowCount(TableIndex.Constant); row++)
        {
            var constant = md.GetConstant(MetadataTokens.ConstantHandle(row));
            if (constant.TypeCode != ConstantTypeCode.String) continue;
            var blob = md.GetBlobReader(constant.Value);
            strings.Add(blob.ReadUTF16(blob.Length));
        }

        return strings;
    }

    /// <summary>Type names for decoding generic instantiations; only the generic type's name matters here.</summary>
    private sealed class TypeNames(MetadataReader md) : ISignatureTypeProvider<string, object?>
    {
        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType;
        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;
        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetPinnedType(string elementType) => elementType;
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => TypeDefinitionName(md, handle);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => TypeReferenceName(md, handle);
        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            md.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }
}
