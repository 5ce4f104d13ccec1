using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Shelters;

/// <summary>Head counts from the shelter's phones: increments that never lose a person, once per client id, only for the staff's own shelter.</summary>
public sealed class ShelterCountTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    private const string Own = "takahata-shelter-09"; // the test shelter account's shelter

    private async Task OpenAsync(HttpClient client, string shelterId, int occupancy = 0)
    {
        var response = await client.PutAsJsonAsync($"/api/shelters/{shelterId}/status", new { open = true, occupancy });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<JsonObject> CountAsync(HttpClient client, string shelterId, Guid clientId, int delta, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await client.PostAsJsonAsync($"/api/shelters/{shelterId}/count", new { clientId, delta });
        Assert.Equal(expected, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private Task<long> EventCountAsync() => app.Database.ScalarAsync<long>("SELECT count(*) FROM situation_events");

    [Fact]
    public async Task Two_phones_counting_500_people_in_each_at_once_count_1000()
    {
        using var door1 = await app.SignedInClientAsync("shelter");
        using var door2 = await app.SignedInClientAsync("hq");
        await OpenAsync(door1, Own);

        async Task TapAsync(HttpClient phone, int taps)
        {
            using var inFlight = new SemaphoreSlim(8);
            await Task.WhenAll(Enumerable.Range(0, taps).Select(async _ =>
            {
                await inFlight.WaitAsync();
                try
                {
                    var response = await phone.PostAsJsonAsync($"/api/shelters/{Own}/count", new { clientId = Guid.NewGuid(), delta = 1 });
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }
                finally
                {
                    inFlight.Release();
                }
            }));
        }

        await Task.WhenAll(TapAsync(door1, 500), TapAsync(door2, 500));

        Assert.Equal(1000, await app.Database.ScalarAsync<int>($"SELECT occupancy FROM shelter_status WHERE shelter_id = '{Own}'"));
        Assert.Equal(1000, await app.Database.ScalarAsync<long>($"SELECT count(*) FROM shelter_counts WHERE shelter_id = '{Own}' AND applied = 1"));
        Assert.Equal(1000, await app.Database.ScalarAsync<long>($"SELECT count(*) FROM shelter_history WHERE shelter_id = '{Own}' AND change = 'count'"));
        // Every batch's own answer is the count it left: 1..1000, each once.
        Assert.Equal(1000, await app.Database.ScalarAsync<long>($"SELECT count(DISTINCT occupancy_after) FROM shelter_counts WHERE shelter_id = '{Own}'"));
    }

    [Fact]
    public async Task A_retried_batch_is_counted_once_and_its_client_id_with_another_delta_is_a_conflict()
    {
        using var hq = await app.SignedInClientAsync("hq");
        const string shelter = "takahata-shelter-03";
        await OpenAsync(hq, shelter, 10);
        var batch = Guid.NewGuid();

        var first = await CountAsync(hq, shelter, batch, 5);
        var events = await EventCountAsync();
        var retry = await CountAsync(hq, shelter, batch, 5);

        Assert.Equal(15, first["occupancy"]!.GetValue<int>());
        Assert.Equal(15, retry["occupancy"]!.GetValue<int>());
        Assert.Equal(events, await EventCountAsync());
        Assert.Equal(1, await app.Database.ScalarAsync<long>($"SELECT count(*) FROM shelter_counts WHERE client_id = '{batch}'"));

        var conflict = await CountAsync(hq, shelter, batch, 4, HttpStatusCode.Conflict);
        Assert.Equal("Client id already used", conflict["title"]!.GetValue<string>());
        await CountAsync(hq, "takahata-shelter-04", batch, 5, HttpStatusCode.Conflict);
        Assert.Equal(15, await app.Database.ScalarAsync<int>($"SELECT occupancy FROM shelter_status WHERE shelter_id = '{shelter}'"));
        Assert.Equal(events, await EventCountAsync());
    }

    [Fact]
    public async Task Counting_out_stops_at_zero_and_a_closed_shelter_counts_nobody()
    {
        using var hq = await app.SignedInClientAsync("hq");
        const string shelter = "takahata-shelter-05";
        await OpenAsync(hq, shelter, 3);

        var state = await CountAsync(hq, shelter, Guid.NewGuid(), -5);
        Assert.Equal(0, state["occupancy"]!.GetValue<int>());
        Assert.Equal(-3, await app.Database.ScalarAsync<int>($"SELECT applied FROM shelter_counts WHERE shelter_id = '{shelter}'"));

        var closed = await CountAsync(hq, "takahata-shelter-06", Guid.NewGuid(), 1, HttpStatusCode.Conflict);
        Assert.Equal("Shelter not open", closed["title"]!.GetValue<string>());
        await CountAsync(hq, "no-such-shelter", Guid.NewGuid(), 1, HttpStatusCode.NotFound);
        Assert.Equal(0, await app.Database.ScalarAsync<long>("SELECT count(*) FROM shelter_counts WHERE shelter_id = 'takahata-shelter-06'"));
    }

    [Theory]
    [InlineData("""{"delta": 1}""", "clientId")]
    [InlineData("""{"clientId": "6f1c0e2a-54c5-4a61-9d1b-0c1f0d7f9a11", "delta": 0}""", "delta")]
    [InlineData("""{"clientId": "6f1c0e2a-54c5-4a61-9d1b-0c1f0d7f9a11", "delta": 501}""", "delta")]
    [InlineData("""{"clientId": "6f1c0e2a-54c5-4a61-9d1b-0c1f0d7f9a11", "delta": -501}""", "delta")]
    public async Task Bad_count_is_refused_with_the_field_named(string body, string field)
    {
        using var hq = await app.SignedInClientAsync("hq");
        var response = await hq.PostAsync($"/api/shelters/{Own}/count", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]![field]);
    }

    [Fact]
    public async Task Shelter_staff_cannot_count_set_status_or_edit_the_registry_of_another_shelter()
    {
        using var hq = await app.SignedInClientAsync("hq");
        using var staff = await app.SignedInClientAsync("shelter");
        using var field = await app.SignedInClientAsync("field");
        const string other = "takahata-shelter-01";
        await OpenAsync(hq, other, 7);
        var events = await EventCountAsync();

        var refusals = new[]
        {
            await staff.PostAsJsonAsync($"/api/shelters/{other}/count", new { clientId = Guid.NewGuid(), delta = 1 }),
            await staff.PutAsJsonAsync($"/api/shelters/{other}/status", new { open = false }),
            await staff.PatchAsJsonAsync($"/api/shelters/{other}", new { capacity = 1 }),
            await staff.PatchAsJsonAsync($"/api/shelters/{Own}", new { capacity = 1 }),
            await field.PostAsJsonAsync($"/api/shelters/{Own}/count", new { clientId = Guid.NewGuid(), delta = 1 }),
        };

        Assert.All(refusals, r =>
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        });
        Assert.Equal(events, await EventCountAsync());
        Assert.Equal(7, await app.Database.ScalarAsync<int>($"SELECT occupancy FROM shelter_status WHERE shelter_id = '{other}'"));
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await app.Client().PostAsJsonAsync($"/api/shelters/{Own}/count", new { clientId = Guid.NewGuid(), delta = 1 })).StatusCode);
    }

    [Fact]
    public async Task A_status_update_without_a_head_count_keeps_the_count_and_every_change_is_in_the_history()
    {
        using var hq = await app.SignedInClientAsync("hq");
        const string shelter = "takahata-shelter-10";
        await OpenAsync(hq, shelter, 0);
        await CountAsync(hq, shelter, Guid.NewGuid(), 12);

        var full = await hq.PutAsJsonAsync($"/api/shelters/{shelter}/status", new { open = true, declaredFull = true, note = "体育館満杯" });
        Assert.Equal(12, (await full.Content.ReadFromJsonAsync<JsonObject>())!["occupancy"]!.GetValue<int>());
        await hq.PutAsJsonAsync($"/api/shelters/{shelter}/status", new { open = true, occupancy = 20 });
        await hq.PutAsJsonAsync($"/api/shelters/{shelter}/status", new { open = false });

        var history = (await hq.GetFromJsonAsync<JsonArray>($"/api/shelters/{shelter}/history"))!;
        Assert.Equal(["opened", "count", "declared_full", "full_lifted", "closed"], history.Select(h => h!["change"]!.GetValue<string>()));
        Assert.Equal([0, 12, 12, 20, 20], history.Select(h => h!["occupancy"]!.GetValue<int>()));
        Assert.Equal("full", history[2]!["crowding"]!.GetValue<string>());
        Assert.Equal("closed", history[4]!["crowding"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client().GetAsync($"/api/shelters/{shelter}/history")).StatusCode);
    }
}
