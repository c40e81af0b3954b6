using Enigm.Keys.Model;
using Xunit;

namespace Enigm.Keys.Tests;

public sealed class KeyModelTests
{
    [Fact]
    public void Purpose_names_round_trip()
    {
        foreach (var purpose in Enum.GetValues<KeyPurpose>())
        {
            Assert.True(KeyPurposeNames.TryParse(purpose.ToName(), out var parsed));
            Assert.Equal(purpose, parsed);
        }

        Assert.False(KeyPurposeNames.TryParse("Root", out _));
    }

    [Fact]
    public void State_names_round_trip_and_unknown_names_fail()
    {
        foreach (var state in Enum.GetValues<KeyState>())
            Assert.Equal(state, KeyStateNames.Parse(state.ToName()));
        Assert.Throws<FormatException>(() => KeyStateNames.Parse("revoked"));
    }
}
