using Enigm.Ota.Metadata;

namespace Enigm.Ota.Client;

/// <summary>A target file found by the delegation search: its path, trusted info and the role that listed it.</summary>
public sealed record ResolvedTarget(string Path, TargetFile File, string Role);
