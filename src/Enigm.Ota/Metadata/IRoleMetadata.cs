namespace Enigm.Ota.Metadata;

/// <summary>Lets <see cref="Metadata{T}"/> parse the "signed" object of its role type.</summary>
public interface IRoleMetadata<out TSelf>
    where TSelf : RoleMetadata
{
    static abstract string RoleType { get; }

    static abstract TSelf FromJson(JsonObjectValue signed);
}
