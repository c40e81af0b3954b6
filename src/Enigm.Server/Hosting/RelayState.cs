using Enigm.Server.Accounts;
using Enigm.Server.Delivery;
using Enigm.Server.Limits;
using Enigm.Server.Storage;
using Enigm.Server.Transparency;
using Microsoft.Extensions.Logging;

namespace Enigm.Server.Hosting;

/// <summary>What every endpoint of one relay node shares: the store, caches, rate limits, delivery connections.</summary>
public sealed class RelayState(RelayServerOptions options, TransparencyService transparency)
{
    public RelayServerOptions Options { get; } = options;

    public IRelayStore Store { get; } = options.Store;

    public VerifiedLogCache Logs { get; } = new();

    public TransparencyService Transparency { get; } = transparency;

    public TokenBuckets SenderBuckets { get; } = new(options.RateLimits.PerSenderDevice, options.Time);

    public TokenBuckets RecipientBuckets { get; } = new(options.RateLimits.PerRecipient, options.Time);

    public TokenBuckets AddressBuckets { get; } = new(options.RateLimits.PerAddress, options.Time);

    public DeliveryConnections Connections { get; } = new(options.LoggerFactory.CreateLogger<DeliveryConnections>());

    public ILogger Log { get; } = options.LoggerFactory.CreateLogger("Enigm.Relay");

    public DateTimeOffset Now => Options.Time.GetUtcNow();
}
