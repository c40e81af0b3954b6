using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Enigm.Relay;
using Enigm.Server.Apis;
using Enigm.Server.Http;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// The relay's request-body parsers, one target per JSON body type, run exactly as the endpoints run them: the
/// per-route byte cap, <see cref="JsonBodies.Parse{T}"/> (source-generated <see cref="RelayJson"/>), then the
/// <see cref="RequestValidation"/> field checks. Rejections are the relay's typed refusals (reported with their
/// problem code). An accepted body must re-serialise to JSON that parses and validates again to the same bytes.
/// The WebSocket ack frame is an <see cref="AckRequest"/> and goes through the same parser.
/// </summary>
internal static class RelayRequestTargets
{
    public static FuzzTarget Challenge { get; } = Make("relay-challenge", RelayJson.Default.ChallengeRequest, RequestValidation.Check, AuthApi.MaxBodyBytes, () =>
        [new ChallengeRequest(Account, "phone")]);

    public static FuzzTarget Token { get; } = Make("relay-token", RelayJson.Default.TokenRequest, RequestValidation.Check, AuthApi.MaxBodyBytes, () =>
        [new TokenRequest(Account, "phone", Bytes(32, 1), Bytes(3309, 2))]);

    public static FuzzTarget CreateAccount { get; } = Make("relay-create-account", RelayJson.Default.CreateAccountRequest, r => Log(r.DeviceLog, r), DirectoryApi.MaxBodyBytes, () =>
        [new CreateAccountRequest(Bytes(600, 3))]);

    public static FuzzTarget AppendLog { get; } = Make("relay-append-log", RelayJson.Default.AppendLogRequest, r => Log(r.DeviceLog, r), DirectoryApi.MaxBodyBytes, () =>
        [new AppendLogRequest(Bytes(1200, 4))]);

    public static FuzzTarget UploadPrekeys { get; } = Make("relay-upload-prekeys", RelayJson.Default.UploadPrekeysRequest, RequestValidation.Check, PrekeysApi.MaxBodyBytes, () =>
        [new UploadPrekeysRequest(Bytes(700, 5), [new OneTimePrekey(1, Bytes(32, 6)), new OneTimePrekey(2, Bytes(32, 7))], [new OneTimePrekey(9, Bytes(1184, 8))])]);

    public static FuzzTarget Submit { get; } = Make("relay-submit", RelayJson.Default.SubmitRequest, RequestValidation.Check, RelayLimits.MaxRequestBytes, () =>
        [new SubmitRequest(Account, [new OutgoingMessage("phone", Bytes(16, 9), Bytes(200, 10)), new OutgoingMessage("laptop", Bytes(16, 11), Bytes(90, 12))])]);

    public static FuzzTarget MultiRecipientSubmit { get; } = Make("relay-multi-recipient-submit", RelayJson.Default.MultiRecipientSubmitRequest, RequestValidation.Check, RelayLimits.MaxRequestBytes, () =>
        [
            new MultiRecipientSubmitRequest(Bytes(16, 15), Bytes(300, 16), [new RecipientDevice(Account, "phone", Bytes(40, 17)), new RecipientDevice(new string('b', 64), "laptop")]),
            new MultiRecipientSubmitRequest(Bytes(16, 18), Bytes(64, 19), [new RecipientDevice(Account, "phone")], [new RecipientAccess(Account, Bytes(32, 20))]),
        ]);

    public static FuzzTarget Ack { get; } = Make("relay-ack", RelayJson.Default.AckRequest, RequestValidation.Check, MailboxApi.MaxAckBodyBytes, () =>
        [new AckRequest([1, 2, 3, long.MaxValue])]);

    public static FuzzTarget DeliveryToken { get; } = Make("relay-delivery-token", RelayJson.Default.DeliveryTokenRequest, RequestValidation.Check, MessagesApi.MaxDeliveryTokenBodyBytes, () =>
        [new DeliveryTokenRequest(Bytes(32, 13))]);

    public static FuzzTarget Rendezvous { get; } = Make("relay-rendezvous", RelayJson.Default.RendezvousPost, RequestValidation.Check, RendezvousApi.MaxBodyBytes, () =>
        [new RendezvousPost(Bytes(300, 14))]);

    public static IReadOnlyList<FuzzTarget> All { get; } = [Challenge, Token, CreateAccount, AppendLog, UploadPrekeys, Submit, MultiRecipientSubmit, Ack, DeliveryToken, Rendezvous];

    private static string Account => new('a', 64);

    private static FuzzTarget Make<T>(string name, JsonTypeInfo<T> type, Func<T, T> check, int maxBytes, Func<IEnumerable<T>> samples) => new(
        name,
        $"Relay {typeof(T).Name} body: byte cap, JSON parse, field validation; accepted bodies round-trip.",
        static () => { },
        input => Run(input, type, check, maxBytes),
        () => Seeds(type, samples));

    private static void Run<T>(ReadOnlySpan<byte> input, JsonTypeInfo<T> type, Func<T, T> check, int maxBytes)
    {
        try
        {
            if (input.Length > maxBytes) throw RelayProblemException.TooLarge("over the route's byte cap");
            var accepted = check(JsonBodies.Parse(input, type));
            var json = JsonSerializer.SerializeToUtf8Bytes(accepted, type);
            var again = JsonSerializer.SerializeToUtf8Bytes(check(JsonBodies.Parse(json, type)), type);
            FuzzInvariantException.Check(json.AsSpan().SequenceEqual(again), $"an accepted {typeof(T).Name} does not round-trip");
        }
        catch (RelayProblemException e)
        {
            throw new RelayRefusal(e.Code, e.Message);
        }
    }

    private static IEnumerable<FuzzSeed> Seeds<T>(JsonTypeInfo<T> type, Func<IEnumerable<T>> samples)
    {
        var index = 0;
        foreach (var sample in samples())
            yield return new FuzzSeed($"valid-{index++}", JsonSerializer.SerializeToUtf8Bytes(sample, type));
        yield return new FuzzSeed("empty-object", "{}"u8.ToArray());
        yield return new FuzzSeed("null", "null"u8.ToArray());
        yield return new FuzzSeed("truncated", Encoding.UTF8.GetBytes("{\"account\":\"aa"));
    }

    private static T Log<T>(byte[]? log, T request)
    {
        RequestValidation.DeviceLog(log);
        return request;
    }

    private static byte[] Bytes(int length, byte seed)
    {
        var bytes = new byte[length];
        var block = SHA256.HashData([seed]);
        for (var i = 0; i < length; i++) bytes[i] = block[i % block.Length];
        return bytes;
    }

    /// <summary>The relay's refusal as the harness reports it: typed, with the problem code as the outcome.</summary>
    private sealed class RelayRefusal(string code, string message) : EnigmException(code, message);
}
