using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Shelters;

/// <summary>HQ's registry of shelters: validated, audited with before and after, announced; the contact never reaches the public.</summary>
public sealed class ShelterRegistryTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    private Task<long> EventCountAsync() => app.Database.ScalarAsync<long>("SELECT count(*) FROM situation_events");

    [Theory]
    [InlineData("""{"capacity": -1}""", "capacity")]
    [InlineData("""{"capacity": 100001}""", "capacity")]
    [InlineData("""{"hazards": ["flood", "meteor"]}""", "hazards")]
    [InlineData("""{"kind": "hotel"}""", "kind")]
    public async Task Bad_registry_change_is_refused_with_the_field_named(string body, string field)
    {
        using var hq = await app.SignedInClientAsync("hq");
        var events = await EventCountAsync();

        var response = await hq.PatchAsync("/api/shelters/takahata-shelter-02", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Contains(errors, e => e.Key.Equals(field, StringComparison.OrdinalIgnoreCase) || e.Key.EndsWith("." + field, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(events, await EventCountAsync());
    }

    [Fact]
    public async Task A_contact_longer_than_200_characters_is_refused()
    {
        using var admin = await app.SignedInClientAsync("admin");
        var response = await admin.PatchAsJsonAsync("/api/shelters/takahata-shelter-02", new { contact = new string('あ', 201) });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["contact"]);
    }

    [Fact]
    public async Task A_registry_change_is_audited_before_and_after_announced_and_charted()
    {
        using var admin = await app.SignedInClientAsync("admin");
        const string shelter = "takahata-shelter-02";
        var events = await EventCountAsync();

        var response = await admin.PatchAsJsonAsync($"/api/shelters/{shelter}", new
        {
            capacity = 450, capacityAssumed = false, hazards = new[] { "earthquake", "flood" }, kind = "welfare", accessible = true, contact = "0238-52-2222",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var state = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(450, state["capacity"]!.GetValue<int>());
        Assert.False(state["capacityAssumed"]!.GetValue<bool>());
        Assert.Equal("welfare", state["kind"]!.GetValue<string>());
        Assert.True(state["accessible"]!.GetValue<bool>());
        Assert.Equal("0238-52-2222", state["contact"]!.GetValue<string>());

        Assert.Equal(events + 1, await EventCountAsync());
        Assert.Equal("shelter_registry_changed", await app.Database.ScalarAsync<string>("SELECT kind FROM situation_events ORDER BY seq DESC LIMIT 1"));
        Assert.Equal("{flood,earthquake}", await app.Database.ScalarAsync<string>($"SELECT hazards::text FROM shelters WHERE id = '{shelter}'"));
        var audit = JsonNode.Parse(await app.Database.ScalarAsync<string>(
            $"SELECT details::text FROM audit_log WHERE action = 'shelter.registry' AND entity_id = '{shelter}' ORDER BY id DESC LIMIT 1"))!;
        Assert.Equal(600, audit["before"]!["capacity"]!.GetValue<int>());
        Assert.True(audit["before"]!["capacityAssumed"]!.GetValue<bool>());
        Assert.Equal("both", audit["before"]!["kind"]!.GetValue<string>());
        Assert.Equal(450, audit["after"]!["capacity"]!.GetValue<int>());
        Assert.Equal("welfare", audit["after"]!["kind"]!.GetValue<string>());
        Assert.Equal("0238-52-2222", audit["after"]!["contact"]!.GetValue<string>());
        Assert.Equal(1, await app.Database.ScalarAsync<long>($"SELECT count(*) FROM shelter_history WHERE shelter_id = '{shelter}' AND change = 'registry'"));

        // A partial change keeps the rest.
        var partial = (await (await admin.PatchAsJsonAsync($"/api/shelters/{shelter}", new { capacity = 500 })).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("welfare", partial["kind"]!.GetValue<string>());
        Assert.Equal("0238-52-2222", partial["contact"]!.GetValue<string>());

        // Residents never see the contact: not in the public layer, the open data or the nearest shelters.
        var layer = await app.Client().GetStringAsync("/api/layers/shelters");
        var geojson = await app.Client().GetStringAsync("/opendata/shelters.geojson");
        Assert.DoesNotContain("0238-52-2222", layer);
        Assert.DoesNotContain("0238-52-2222", geojson);
        Assert.Contains("\"kind\":\"welfare\"", layer.Replace(" ", ""));
    }
}
