using Enigm.Relay;
using Enigm.Server.Storage.Sqlite;

// Usage: Enigm.Server.CrashHost enqueue <database file> <concurrent submitters>
// Prints "ready", then "acked <hex message id>" for every submit EnqueueAsync acknowledged, until killed.
if (args is not ["enqueue", var path, var submittersText] || !int.TryParse(submittersText, out var submitters) || submitters < 1)
{
    Console.Error.WriteLine("usage: enqueue <database file> <concurrent submitters>");
    return 2;
}

var store = new SqliteRelayStore(path);
await store.MigrateAsync();
var output = Console.Out; // AutoFlush and synchronized: a printed line is a line the test can read after the kill.
output.WriteLine("ready");
var counter = 0L;
await Task.WhenAll(Enumerable.Range(0, submitters).Select(_ => Task.Run(async () =>
{
    var body = new byte[200];
    while (true)
    {
        var id = new byte[16];
        BitConverter.TryWriteBytes(id, Interlocked.Increment(ref counter));
        System.Security.Cryptography.RandomNumberGenerator.Fill(id.AsSpan(8));
        await store.EnqueueAsync("bob", [new OutgoingMessage("d1", id, body), new OutgoingMessage("d2", id, body)], DateTimeOffset.UtcNow);
        output.WriteLine("acked " + Convert.ToHexStringLower(id));
    }
})));
return 0;
