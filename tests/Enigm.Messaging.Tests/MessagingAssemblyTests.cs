using Xunit;

namespace Enigm.Messaging.Tests;

public sealed class MessagingAssemblyTests
{
    [Fact]
    public void Writes_format_version_1() => Assert.Equal(1, MessagingAssembly.FormatVersion);
}
