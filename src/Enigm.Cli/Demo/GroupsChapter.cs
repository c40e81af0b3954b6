using Enigm.Client;
using Enigm.Relay;
using Enigm.Server.Storage.Sqlite;

namespace Enigm.Cli.Demo;

/// <summary>
/// The groups chapter (issue 15): a real relay on loopback and three people with five devices (Alice and Bob two each,
/// Carol one). Alice creates a group; one message is encrypted once and stored once by the relay for every member
/// device; Carol is removed and the next message, captured at the relay and handed to her by a misbehaving relay, does
/// not open for her; Dave joins late and the message captured before he joined does not open for him. See
/// docs/client.md "Groups" and docs/groups.md.
/// </summary>
public sealed class GroupsChapter : IDemoChapter
{
    public string Name => "groups";

    public string Title => "Groups: signed rosters, sender keys over pairwise sessions, one ciphertext stored once";

    public void Run(ChapterContext context) => RunAsync(context).GetAwaiter().GetResult();

    private static async Task RunAsync(ChapterContext context)
    {
        var ct = context.Cancellation;
        var folder = Directory.CreateTempSubdirectory("enigm-demo-groups-").FullName;
        var devices = new List<EnigmClient>();
        DemoRelay? relay = null;
        SqliteRelayStore? inspector = null;
        try
        {
            context.Step("Starting the relay (SQLite) and five devices: Alice's phone and laptop, Bob's laptop and phone, Carol's phone");
            relay = await DemoRelay.StartAsync(folder, ct);
            // A second connection to the relay's database: what an operator (or an attacker on the server) sees and can write.
            inspector = new SqliteRelayStore(Path.Combine(relay.DatabaseFolder, "relay.db"));
            var world = new GroupWorld(context, relay, folder, devices);
            var alicePhone = await world.CreateAsync("alice", "phone");
            var aliceLaptop = await world.LinkAsync(alicePhone, "alice", "laptop");
            var bobLaptop = await world.CreateAsync("bob", "laptop");
            var bobPhone = await world.LinkAsync(bobLaptop, "bob", "phone");
            var carol = await world.CreateAsync("carol", "phone");
            var dave = await world.CreateAsync("dave", "tablet");
            await alicePhone.AddContactAsync("bob", bobLaptop.Account, ct);
            await alicePhone.AddContactAsync("carol", carol.Account, ct);
            await alicePhone.AddContactAsync("dave", dave.Account, ct);

            context.Step("Alice creates the group 'boat trip' with Bob and Carol: a signed roster entry per change, sent to every member device over its pairwise session");
            await alicePhone.CreateGroupAsync("boat trip", ["bob", "carol"], ct);
            foreach (var device in new[] { aliceLaptop, bobLaptop, bobPhone, carol }) await world.ReceiveAsync(device, 0);
            context.Check("every member device verified the roster and lists the group with three members", () =>
                new[] { aliceLaptop, bobLaptop, bobPhone, carol }.All(d => d.Groups().SingleOrDefault()?.Members.Count == 3));

            context.Step("Alice writes to the group: one sender-key encryption, its chain sent pairwise first, then one upload the relay stores once");
            var first = await alicePhone.SendGroupTextAsync("boat trip", "The boat leaves at 7, pier 4.", ct);
            context.Info($"one {first.SharedBytes}-byte ciphertext for {first.Devices} devices (new chain: {first.Rotation}, sent to {first.DistributedTo} devices first)");
            var stored = await world.SharedAtRelayAsync(inspector, first.MessageId, [bobLaptop, bobPhone, carol, aliceLaptop]);
            context.Check("the relay holds the same single ciphertext for all four other devices", () => stored.Count == 4 && stored.All(s => s.AsSpan().SequenceEqual(stored[0])));
            var read = new List<bool>();
            foreach (var device in new[] { aliceLaptop, bobLaptop, bobPhone, carol }) read.Add((await world.ReceiveAsync(device, 1)).Any(m => m.Text == "The boat leaves at 7, pier 4." && m.Group == "boat trip"));
            context.Check("Alice's laptop, both of Bob's devices and Carol's phone read it", () => read.All(r => r));

            context.Step("Alice removes Carol; her next message starts a new chain that Carol never receives");
            await alicePhone.RemoveGroupMemberAsync("boat trip", "carol", ct);
            await world.ReceiveAsync(carol, 0);
            foreach (var device in new[] { aliceLaptop, bobLaptop, bobPhone }) await world.ReceiveAsync(device, 0);
            var afterRemoval = await alicePhone.SendGroupTextAsync("boat trip", "Change of plan: pier 9.", ct);
            context.Check("the sender rotated its key because the membership shrank", () => afterRemoval.Rotation == "MembershipShrank");
            var captured = (await world.SharedAtRelayAsync(inspector, afterRemoval.MessageId, [bobLaptop]))[0];
            var carolHas = await world.HasAsync(inspector, carol, afterRemoval.MessageId);
            context.Check("the relay stores nothing for Carol's device", () => !carolHas);
            await world.InjectAsync(inspector, carol, captured);
            var carolSees = await carol.ReceiveAsync(TimeSpan.FromSeconds(5), null, ct);
            context.Info($"Carol's phone: {string.Join("; ", carolSees.Notices.Select(n => n.Detail))}");
            context.Check("the ciphertext captured at the relay, pushed into Carol's mailbox, does not open for her", () =>
                carolSees.Messages.Count == 0 && carolSees.Notices.Any(n => n.Kind == ClientNoticeKind.MessageRefused));
            foreach (var device in new[] { aliceLaptop, bobLaptop, bobPhone }) await world.ReceiveAsync(device, 1);

            context.Step("Dave joins late: what was sent before he joined stays unreadable to him");
            var beforeDave = await alicePhone.SendGroupTextAsync("boat trip", "Dave doesn't know yet.", ct);
            var old = (await world.SharedAtRelayAsync(inspector, beforeDave.MessageId, [bobLaptop]))[0];
            await alicePhone.AddGroupMembersAsync("boat trip", ["dave"], ct);
            await world.ReceiveAsync(dave, 0);
            await alicePhone.SendGroupTextAsync("boat trip", "Welcome, Dave!", ct);
            var daveRead = await world.ReceiveAsync(dave, 1);
            context.Check("Dave reads what is sent after he joined", () => daveRead.Any(m => m.Text == "Welcome, Dave!"));
            await world.InjectAsync(inspector, dave, old);
            var daveOld = await dave.ReceiveAsync(TimeSpan.FromSeconds(5), null, ct);
            context.Check("the message captured before he joined does not open for him", () =>
                daveOld.Messages.Count == 0 && daveOld.Notices.Any(n => n.Kind == ClientNoticeKind.MessageRefused));

            context.Step("Bob answers from his phone: his own chain goes to each member device pairwise, then one ciphertext for all");
            foreach (var device in new[] { aliceLaptop, bobLaptop, bobPhone }) await world.ReceiveAsync(device, 0);
            var fromBob = await bobPhone.SendGroupTextAsync("boat trip", "See you at pier 9.", ct);
            var everyone = new List<bool>();
            foreach (var device in new[] { alicePhone, aliceLaptop, bobLaptop, dave }) everyone.Add((await world.ReceiveAsync(device, 1)).Any(m => m.Text == "See you at pier 9."));
            context.Check($"Alice's two devices, Bob's laptop and Dave read it ({fromBob.Devices} devices, one {fromBob.SharedBytes}-byte ciphertext)", () => everyone.All(r => r));
            var carolLater = await carol.ReceiveAsync(TimeSpan.FromMilliseconds(500), null, ct);
            context.Check("Carol, removed, receives nothing new", () => carolLater.Messages.Count == 0);
        }
        finally
        {
            foreach (var device in devices) await device.DisposeAsync();
            if (inspector is not null) await inspector.DisposeAsync();
            if (relay is not null) await relay.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }
}
