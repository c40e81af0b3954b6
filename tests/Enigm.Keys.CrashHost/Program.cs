using System.Text;
using Enigm.Crypto.Secrets;
using Enigm.Keys;
using Enigm.Keys.CrashHost;
using Enigm.Keys.Protection;
using Enigm.Keys.Storage;

// Usage: Enigm.Keys.CrashHost rotate <home> <key id> <pause step>; passphrase in ENIGM_PASSPHRASE.
// Rotates a key in <home>/keys.db through PausingKeyStore, which pauses at <pause step>.
if (args is not ["rotate", var home, var keyId, var pauseAt])
{
    Console.Error.WriteLine("usage: rotate <home> <key id> <pause step>");
    return 2;
}

var passphrase = Environment.GetEnvironmentVariable("ENIGM_PASSPHRASE") ?? "";
var store = new PausingKeyStore(SqliteKeyStore.Open(Path.Combine(home, "keys.db")), pauseAt, home);
using var ring = KeyRing.Open(store, d => ProtectorRegistry.ForDescriptor(d, () => SecretBytes.TakeOwnership(Encoding.UTF8.GetBytes(passphrase)), null));
ring.Rotate(keyId);
return 0;
