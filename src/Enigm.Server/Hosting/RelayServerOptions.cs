using Enigm.Keys.Protection;
using Enigm.Server.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enigm.Server.Hosting;

/// <summary>
/// How a <see cref="RelayServer"/> is composed. The caller owns <see cref="Store"/> (it is migrated on start but not
/// disposed on stop). Every TTL below is documented in docs/relay-api.md ("TTLs").
/// </summary>
public sealed record RelayServerOptions
{
    public required IRelayStore Store { get; init; }

    /// <summary>Folder for the admin credential and the transparency log key store (created 0700).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Public listener addresses (port 0 picks a free port).</summary>
    public IReadOnlyList<string> PublicUrls { get; init; } = ["http://127.0.0.1:8080"];

    /// <summary>Admin listener addresses: loopback by default, never shared with the public listener.</summary>
    public IReadOnlyList<string> AdminUrls { get; init; } = ["http://127.0.0.1:8081"];

    /// <summary>The admin bearer credential; null reads (or on first start generates) <c>admin-credential</c> in the data folder.</summary>
    public string? AdminCredential { get; init; }

    /// <summary>
    /// Passphrase of the log key store; null reads (or on first start generates) <c>log-key.passphrase</c> in the data
    /// folder (0600). A relay restarts unattended, so it cannot prompt (docs/relay-api.md, "Server keys").
    /// </summary>
    public string? LogKeyPassphrase { get; init; }

    /// <summary>
    /// What protects a new log key store: a passphrase (default) or the machine's TPM 2.0, which keeps the log key
    /// unusable off this machine even if the data folder is copied (docs/relay-api.md, "Server keys").
    /// </summary>
    public RelayLogKeyProtection LogKeyProtection { get; init; } = RelayLogKeyProtection.Passphrase;

    /// <summary>The TPM's TCTI for <see cref="RelayLogKeyProtection.Tpm"/>; null means <c>ENIGM_TPM_TCTI</c>, else the kernel's resource manager.</summary>
    public string? LogKeyTpmTcti { get; init; }

    /// <summary>Argon2id costs for a new log key store.</summary>
    public Argon2idSettings LogKeyArgon2 { get; init; } = Argon2idSettings.Interactive;

    /// <summary>Bound into every signed auth challenge (<see cref="Relay.RelayAuth"/>) and the transparency log id.</summary>
    public string ServerId { get; init; } = "enigm-relay";

    /// <summary>A TUF repository folder (with <c>metadata/</c> and <c>targets/</c>) served under <c>/ota</c>; null serves none.</summary>
    public string? OtaRepository { get; init; }

    public TimeSpan ChallengeTtl { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan TokenTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Undelivered messages older than this are deleted by the sweep.</summary>
    public TimeSpan MailboxTtl { get; init; } = TimeSpan.FromDays(30);

    public TimeSpan AttachmentTtl { get; init; } = TimeSpan.FromDays(30);

    public TimeSpan RendezvousTtl { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromMinutes(5);

    public RelayRateLimits RateLimits { get; init; } = new();

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where the relay logs (structured; never message bodies, tokens or key material).</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}

/// <summary>Token buckets (per relay node): a capacity (burst) and a refill rate per second.</summary>
public sealed record RelayRateLimits
{
    /// <summary>Submits by one authenticated sender device.</summary>
    public BucketSize PerSenderDevice { get; init; } = new(200, 50);

    /// <summary>Sealed-sender submits to one recipient account.</summary>
    public BucketSize PerRecipient { get; init; } = new(100, 20);

    /// <summary>Unauthenticated requests that create state (account creation, rendezvous posts, challenges) per client address.</summary>
    public BucketSize PerAddress { get; init; } = new(60, 2);
}

public sealed record BucketSize(double Capacity, double RefillPerSecond);

/// <summary>What protects the relay's transparency-log key store at rest.</summary>
public enum RelayLogKeyProtection
{
    /// <summary>Argon2id over <see cref="RelayServerOptions.LogKeyPassphrase"/> or the generated passphrase file.</summary>
    Passphrase,

    /// <summary>A KEK sealed in the machine's TPM 2.0 (Enigm.Keys' <c>TpmProtector</c>); no passphrase file is kept.</summary>
    Tpm,
}
