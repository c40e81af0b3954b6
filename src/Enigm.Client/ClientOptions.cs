using Enigm.Client.Groups;
using Enigm.Keys;
using Enigm.Messaging.Prekeys;
using Enigm.Trust.States;

namespace Enigm.Client;

/// <summary>
/// Where a device keeps its state and which relay it talks to. <see cref="Home"/> holds one file,
/// <c>keys.db</c> (Enigm.Keys' SQLite store): the device's private keys, sessions, prekeys, device logs, trust
/// states and contacts, all sealed under the key ring's KEK (docs/client.md), plus downloaded attachments.
/// </summary>
public sealed record ClientOptions
{
    /// <summary>The device's folder (created 0700 when missing).</summary>
    public required string Home { get; init; }

    /// <summary>
    /// The relay's base URL. Required to create an account or link a device (it is then stored with the
    /// device's state); when set on <see cref="EnigmClient.Open"/> it replaces the stored one.
    /// </summary>
    public Uri? Server { get; init; }

    /// <summary>Where received attachments are written; <c>Home/attachments</c> when null.</summary>
    public string? AttachmentFolder { get; init; }

    /// <summary>The trust policy (changed contacts blocked until re-verified by default).</summary>
    public TrustPolicy TrustPolicy { get; init; } = TrustPolicy.Default;

    /// <summary>How many prekeys the device keeps and when they rotate.</summary>
    public PrekeyPolicy PrekeyPolicy { get; init; } = PrekeyPolicy.Default;

    /// <summary>Options of the key ring that holds the device's state.</summary>
    public KeyRingOptions? KeyRingOptions { get; init; }

    /// <summary>An HTTP handler to use instead of the default one (proxies, certificate pinning); the client does not dispose it.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>Per-request timeout for ordinary relay calls (attachment transfers are bounded by cancellation only).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Periodic rotation of this device's group sender keys (every N messages or after a time).</summary>
    public GroupOptions Groups { get; init; } = GroupOptions.Default;

    /// <summary>The key store file inside <see cref="Home"/>.</summary>
    public string StorePath => Path.Combine(Home, "keys.db");
}
