namespace Enigm.Client.Relay;

/// <summary>
/// Who a <see cref="RelayClient"/> authenticates as: the account and device, the relay's server id (bound into the
/// signed challenge, RelayAuth) and the device's composite signing key, as a signing function so the key stays with
/// its owner.
/// </summary>
internal sealed record RelayCredentials(string Account, string Device, string ServerId, Func<byte[], byte[]> Sign);
