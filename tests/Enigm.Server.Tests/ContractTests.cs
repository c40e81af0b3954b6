using System.Text.Json;
using Enigm.Relay;
using Xunit;

namespace Enigm.Server.Tests;

public sealed class ContractTests
{
    [Fact]
    public void Auth_message_binds_every_field_with_length_prefixes()
    {
        var a = RelayAuth.SignedMessage("srv", "ab", "c", [1, 2]);
        var b = RelayAuth.SignedMessage("srv", "a", "bc", [1, 2]);
        Assert.NotEqual(a, b);
        Assert.StartsWith("enigm/relay-auth/v1", System.Text.Encoding.ASCII.GetString(a));
    }

    [Fact]
    public void Wire_json_is_camel_case_with_base64_bytes()
    {
        var json = JsonSerializer.Serialize(new OutgoingMessage("d1", [1], [2, 3]), RelayJson.Default.OutgoingMessage);
        Assert.Equal("""{"device":"d1","messageId":"AQ==","body":"AgM="}""", json);
    }
}
