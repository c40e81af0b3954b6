using Enigm.Messaging.Sessions;

namespace Enigm.Messaging.FanOut;

/// <summary>
/// Encrypts one plaintext to every device of a <see cref="FanOutPlan"/> (DESIGN.md "Messaging", multi-device
/// fan-out): one session and one sealed-sender layer per device, so the relay learns only each recipient device.
/// </summary>
public static class FanOutEncryptor
{
    public static IReadOnlyList<EncryptedMessage> Encrypt(SessionCipher cipher, FanOutPlan plan, ReadOnlySpan<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        ArgumentNullException.ThrowIfNull(plan);
        var messages = new List<EncryptedMessage>(plan.Targets.Count);
        foreach (var target in plan.Targets)
            messages.Add(cipher.Encrypt(new SessionAddress(target.Account, target.DeviceId), plaintext));
        return messages;
    }
}
