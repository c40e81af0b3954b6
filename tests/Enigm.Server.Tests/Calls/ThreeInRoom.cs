using System.Net.WebSockets;
using Enigm.Relay;
using Enigm.Server.Tests.Http;
using static Enigm.Server.Tests.Calls.MediaRoom;

namespace Enigm.Server.Tests.Calls;

/// <summary>
/// Alice's room with Bob and Carol invited, all three connected to its media socket: the set-up the forwarding and
/// removal tests share. Disposing closes the sockets, the owner's HTTP client and the accounts.
/// </summary>
public sealed class ThreeInRoom : IDisposable
{
    private ThreeInRoom(TestAccount alice, TestAccount bob, TestAccount carol, string call, HttpClient owner)
    {
        (Alice, Bob, Carol, Call, Owner) = (alice, bob, carol, call, owner);
    }

    public TestAccount Alice { get; }
    public TestAccount Bob { get; }
    public TestAccount Carol { get; }
    public string Call { get; }

    /// <summary>Alice's phone's HTTP client: the room's owner.</summary>
    public HttpClient Owner { get; }

    public ClientWebSocket A { get; private set; } = null!;
    public ClientWebSocket B { get; private set; } = null!;
    public ClientWebSocket C { get; private set; } = null!;

    public static async Task<ThreeInRoom> StartAsync(RelayFixture relay)
    {
        var alice = await TestAccount.CreateAsync(relay);
        var bob = await TestAccount.CreateAsync(relay);
        var carol = await TestAccount.CreateAsync(relay);
        var owner = relay.Client(await alice.LoginAsync(relay, "phone"));
        var room = new ThreeInRoom(alice, bob, carol, NewCallId(), owner);
        await RelayAssert.Ok(await PutAsync(owner, room.Call, new(bob.Id, "phone"), new(carol.Id, "phone")), CallJson.Default.CallRoomResponse);
        room.A = await ConnectAsync(relay, room.Call, await alice.LoginAsync(relay, "phone"));
        room.B = await ConnectAsync(relay, room.Call, await bob.LoginAsync(relay, "phone"));
        room.C = await ConnectAsync(relay, room.Call, await carol.LoginAsync(relay, "phone"));
        return room;
    }

    /// <summary>The owner narrows the room to Bob alone, which removes Carol.</summary>
    public Task<HttpResponseMessage> RemoveCarolAsync() => PutAsync(Owner, Call, new CallRoomParticipant(Bob.Id, "phone"));

    public void Dispose()
    {
        A?.Dispose();
        B?.Dispose();
        C?.Dispose();
        Owner.Dispose();
        Alice.Dispose();
        Bob.Dispose();
        Carol.Dispose();
    }
}
