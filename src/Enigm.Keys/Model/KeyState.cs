namespace Enigm.Keys.Model;

/// <summary>Key states after NIST SP 800-57 Part 1 Rev. 5, section 7.</summary>
public enum KeyState
{
    PreActivation,
    Active,
    Suspended,
    Deactivated,
    Compromised,
    Destroyed,
}

public static class KeyStateNames
{
    public static string ToName(this KeyState state) => state switch
    {
        KeyState.PreActivation => "pre-activation",
        KeyState.Active => "active",
        KeyState.Suspended => "suspended",
        KeyState.Deactivated => "deactivated",
        KeyState.Compromised => "compromised",
        KeyState.Destroyed => "destroyed",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static KeyState Parse(string name)
    {
        foreach (var state in Enum.GetValues<KeyState>())
        {
            if (state.ToName() == name) return state;
        }

        throw new FormatException($"Unknown key state '{name}'.");
    }
}
