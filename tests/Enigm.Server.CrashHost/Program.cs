using System.Globalization;
using Enigm.Relay;
using Enigm.Server.CrashHost;
using Enigm.Server.Storage;
using Enigm.Server.Storage.Sqlite;

// Usage:
//   Enigm.Server.CrashHost enqueue <database file> <concurrent submitters>
//     Prints "ready", then "acked <hex message id>" for every submit EnqueueAsync acknowledged, until killed.
//   Enigm.Server.CrashHost measure sqlite:<file>|postgres:<connection string> <concurrent submitters> <seconds>
//     Prints the store's submit throughput and latency (SubmitBurst).
switch (args)
{
    case ["enqueue", var path, var text] when int.TryParse(text, out var submitters) && submitters > 0:
        await EnqueueUntilKilledAsync(new SqliteRelayStore(path), submitters);
        return 0;
    case ["measure", var db, var text, var secondsText]
        when int.TryParse(text, out var submitters) && submitters > 0 && double.TryParse(secondsText, CultureInfo.InvariantCulture, out var seconds):
        await using (var store = RelayStoreLocation.Open(db))
            Console.WriteLine(await SubmitBurst.RunAsync(store, submitters, seconds));
        return 0;
    default:
        Console.Error.WriteLine("usage: enqueue <database file> <submitters> | measure sqlite:<file>|postgres:<connection string> <submitters> <seconds>");
        return 2;
}

static async Task EnqueueUntilKilledAsync(IRelayStore store, int submitters)
{
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
}
