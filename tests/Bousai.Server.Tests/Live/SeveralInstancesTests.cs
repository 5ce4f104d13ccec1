using System.Net;
using System.Net.Http.Json;
using Bousai.Server.Live;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Live;

/// <summary>Two server instances on loopback sharing one PostGIS, as behind a load balancer.</summary>
public sealed class SeveralInstancesTests : IAsyncLifetime
{
    private readonly BousaiApp _a = BousaiApp.OnKestrel();
    private BousaiApp _b = null!;

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_a).InitializeAsync();
        _b = _a.AnotherInstance();
        await ((IAsyncLifetime)_b).InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)_b).DisposeAsync();
        await ((IAsyncLifetime)_a).DisposeAsync();
    }

    [Fact]
    public async Task Change_committed_through_one_instance_reaches_the_clients_of_the_other()
    {
        Assert.NotEqual(_a.BaseAddress.Port, _b.BaseAddress.Port);
        await using var staffOnB = (await LiveClient.ConnectAsync(_b.BaseAddress, "/hubs/situation", await _b.SignedInCookiesAsync("hq"))).Follow();
        await using var residentOnA = (await LiveClient.ConnectAsync(_a.BaseAddress, "/hubs/public")).Follow();
        await staffOnB.WaitUntilAsync(c => c.Snapshot is not null, "the snapshot on B");
        await residentOnA.WaitUntilAsync(c => c.Snapshot is not null, "the snapshot on A");

        using var hqOnA = await _a.SignedInClientAsync("hq");
        Assert.Equal(HttpStatusCode.OK, (await hqOnA.PutAsJsonAsync("/api/shelters/takahata-shelter-12/status", new { open = true, occupancy = 5 })).StatusCode);
        using var shelterStaffOnB = await _b.SignedInClientAsync("shelter");
        Assert.Equal(HttpStatusCode.OK, (await shelterStaffOnB.PutAsJsonAsync("/api/shelters/takahata-shelter-09/status", new { open = true, occupancy = 30 })).StatusCode);

        foreach (var client in new[] { staffOnB, residentOnA })
        {
            await client.WaitUntilAsync(c => c.Events.OfType<ShelterStatusChanged>().Select(e => e.Shelter.ShelterId)
                .Order().SequenceEqual(["takahata-shelter-09", "takahata-shelter-12"]), "both changes");
            Assert.Empty(client.Violations);
        }

        Assert.Equal(staffOnB.Events.Select(e => e.Seq), residentOnA.Events.Select(e => e.Seq));
    }
}
