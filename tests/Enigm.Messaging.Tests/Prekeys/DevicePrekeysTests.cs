using Enigm.Messaging.Prekeys;
using Enigm.Messaging.Tests.Support;
using Xunit;

namespace Enigm.Messaging.Tests.Prekeys;

public sealed class DevicePrekeysTests : IDisposable
{
    private readonly TestAccount _bob = TestAccount.Create("bob");

    public void Dispose() => _bob.Dispose();

    private TestDevice Device => _bob.Primary;

    [Fact]
    public void Maintain_fills_every_kind_to_its_target_and_then_makes_nothing()
    {
        Assert.True(Device.Prekeys.NeedsReplenishment);
        Assert.Equal(1 + 1 + 3 + 2, Device.Prekeys.Maintain());

        Assert.Equal(1, Device.Store.Count(PrekeyKind.SignedPrekey));
        Assert.Equal(1, Device.Store.Count(PrekeyKind.LastResortKemPrekey));
        Assert.Equal(3, Device.Store.Count(PrekeyKind.OneTimePrekey));
        Assert.Equal(2, Device.Store.Count(PrekeyKind.OneTimeKemPrekey));
        Assert.False(Device.Prekeys.NeedsReplenishment);
        Assert.Equal(0, Device.Prekeys.Maintain());
    }

    [Fact]
    public void One_time_prekeys_are_replenished_when_below_the_low_water_mark()
    {
        Device.Prekeys.Maintain();
        var first = Device.Store.List(PrekeyKind.OneTimePrekey);
        Device.Store.Take(PrekeyKind.OneTimePrekey, first[0].Id)!.Key.Dispose();
        Device.Store.Take(PrekeyKind.OneTimePrekey, first[1].Id)!.Key.Dispose();

        Assert.True(Device.Prekeys.NeedsReplenishment);
        Assert.Equal(2, Device.Prekeys.Maintain());
        var now = Device.Store.List(PrekeyKind.OneTimePrekey);
        Assert.Equal(3, now.Count);
        Assert.DoesNotContain(now, k => k.Id == first[0].Id || k.Id == first[1].Id);
    }

    [Fact]
    public void Signed_prekey_rotates_after_its_period_and_the_old_one_retires_after_the_grace()
    {
        Device.Prekeys.Maintain();
        var old = Device.Store.List(PrekeyKind.SignedPrekey).Single();

        _bob.Clock.Now += TimeSpan.FromDays(7);
        Device.Prekeys.Maintain();
        var both = Device.Store.List(PrekeyKind.SignedPrekey);
        Assert.Equal(2, both.Count);
        Assert.Equal(old.Id, both[0].Id);

        _bob.Clock.Now += TimeSpan.FromDays(7);
        Device.Prekeys.Maintain();
        var remaining = Device.Store.List(PrekeyKind.SignedPrekey);
        Assert.DoesNotContain(remaining, k => k.Id == old.Id);
        Assert.True(old.Key.IsDisposed);
    }

    [Fact]
    public void Last_resort_rotation_on_demand_publishes_the_new_key()
    {
        Device.Prekeys.Maintain();
        var rotated = Device.Prekeys.RotateLastResortKemPrekey();

        var bundle = PrekeyBundle.Decode(Device.Prekeys.PublishBundle());

        Assert.Equal(rotated.Id, bundle.LastResortKemPrekey.Id);
        Assert.Equal(2, Device.Store.Count(PrekeyKind.LastResortKemPrekey));
    }

    [Fact]
    public void A_one_time_prekey_is_taken_once_even_by_concurrent_callers()
    {
        Device.Prekeys.Maintain();
        var id = Device.Store.List(PrekeyKind.OneTimeKemPrekey)[0].Id;

        var results = new PrekeyRecord?[16];
        Parallel.For(0, results.Length, i => results[i] = Device.Store.Take(PrekeyKind.OneTimeKemPrekey, id));

        Assert.Single(results, r => r is not null);
        Assert.Null(Device.Store.Get(PrekeyKind.OneTimeKemPrekey, id));
    }

    [Fact]
    public void Prekey_ids_are_never_handed_out_twice()
    {
        var first = Device.Store.AllocateIds(5);
        var second = Device.Store.AllocateIds(1);
        Assert.Equal(first + 5, second);
    }
}
