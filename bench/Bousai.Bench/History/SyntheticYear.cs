using System.Globalization;
using System.Text.Json.Nodes;

namespace Bousai.Bench.History;

/// <summary>One synthetic event of the log: when, its kind, and its payload as the server stores it.</summary>
public sealed record SyntheticEvent(DateTimeOffset At, string Kind, string Payload);

/// <summary>
/// A year of the town's situation log, made from the stored payload of each kind (the server's own event fixtures) with
/// real ids: every gauge's state every few minutes all year, and a number of storms, each a day of district levels,
/// shelters opening and filling, field reports sent and triaged, HQ alerts and an official warning.
/// </summary>
public sealed class SyntheticYear(string fixtures, IReadOnlyList<string> stations, IReadOnlyList<string> shelters, IReadOnlyList<string> districts,
    int gaugeMinutes, int storms, int seed)
{
    private readonly Random _random = new(seed);
    private long _reportId = 1_000_000;
    private long _alertId = 1_000_000;
    private long _warningId = 1_000_000;

    public IEnumerable<SyntheticEvent> Between(DateTimeOffset start, DateTimeOffset end)
    {
        var stormStarts = Enumerable.Range(0, storms).Select(i => start + (end - start) * ((i + 0.5) / storms)).ToArray();
        var stormEvents = stormStarts.SelectMany(Storm).OrderBy(e => e.At).ToList();
        var next = 0;
        for (var t = start; t < end; t = t.AddMinutes(gaugeMinutes))
        {
            for (; next < stormEvents.Count && stormEvents[next].At <= t; next++) yield return stormEvents[next];
            var storming = stormStarts.Any(s => t >= s && t < s.AddHours(24));
            for (var i = 0; i < stations.Count; i++)
            {
                yield return Gauge(t.AddSeconds(i), stations[i], storming ? 2.5 + _random.NextDouble() * 1.5 : 0.6 + _random.NextDouble() * 0.3);
            }
        }

        for (; next < stormEvents.Count; next++) yield return stormEvents[next];
    }

    private IEnumerable<SyntheticEvent> Storm(DateTimeOffset start)
    {
        var events = new List<SyntheticEvent>();
        var struck = districts.OrderBy(_ => _random.Next()).Take(3).ToArray();
        var opened = shelters.OrderBy(_ => _random.Next()).Take(5).ToArray();
        var warning = NewWarning(start.AddHours(1), "in_force");
        events.Add(warning);
        foreach (var (district, i) in struck.Select((d, i) => (d, i)))
        {
            events.Add(Level(start.AddHours(2 + i * 0.2), district, 3, 0));
            events.Add(Level(start.AddHours(5 + i * 0.2), district, 4, 3));
            events.Add(Level(start.AddHours(20 + i * 0.2), district, 0, 4));
        }

        foreach (var (shelter, i) in opened.Select((s, i) => (s, i)))
        {
            for (var h = 2.0; h < 22; h += 0.5) events.Add(Shelter(start.AddHours(h + i * 0.01), shelter, true, (int)(h * 10 + i)));
            events.Add(Shelter(start.AddHours(22 + i * 0.01), shelter, false, 0));
        }

        for (var r = 0; r < 40; r++)
        {
            var id = ++_reportId;
            var sent = start.AddHours(3 + r * 0.4);
            events.Add(Report(sent, id, "new", "field_report_submitted"));
            events.Add(Report(sent.AddMinutes(20), id, "verified", "field_report_updated"));
            events.Add(Report(sent.AddHours(6), id, "resolved", "field_report_updated"));
        }

        for (var a = 0; a < 6; a++)
        {
            var id = ++_alertId;
            var raised = start.AddHours(2 + a * 3);
            events.Add(Alert(raised, id));
            events.Add(Acknowledged(raised.AddMinutes(3), id));
            events.Add(Cleared(raised.AddHours(2), id));
        }

        events.Add(warning with { At = start.AddHours(21), Payload = Ended(warning.Payload, start.AddHours(21)) });
        return events;
    }

    /// <summary>The stored payload of a kind, as a real record (none of the fixtures' drill marks).</summary>
    private JsonObject Template(string name)
    {
        var e = JsonNode.Parse(File.ReadAllText(Path.Combine(fixtures, name + ".json")))!.AsObject();
        foreach (var inner in e.Select(p => p.Value).OfType<JsonObject>()) inner.Remove("drillId");
        return e;
    }

    private static string Time(DateTimeOffset t) => t.ToString("O", CultureInfo.InvariantCulture);

    private static SyntheticEvent Event(DateTimeOffset at, JsonObject payload)
    {
        payload.Remove("seq");
        payload.Remove("at");
        return new SyntheticEvent(at, payload["kind"]!.GetValue<string>(), payload.ToJsonString());
    }

    private SyntheticEvent Gauge(DateTimeOffset at, string station, double metres)
    {
        var e = Template("station_state_changed");
        var state = e["state"]!.AsObject();
        state["stationId"] = station;
        state["value"] = Math.Round(metres, 2);
        state["observedAt"] = Time(at);
        state["heardAt"] = Time(at.AddSeconds(3));
        state["staleAfter"] = Time(at.AddMinutes(30));
        // The stages of domain.md: 氾濫危険 (警戒レベル4相当), 氾濫注意 (2相当), below them normal.
        state["stage"] = metres > 3.5 ? "danger" : metres > 2.5 ? "caution" : "normal";
        state["alertLevelEquivalent"] = metres > 3.5 ? 4 : metres > 2.5 ? 2 : null;
        return Event(at, e);
    }

    private SyntheticEvent Level(DateTimeOffset at, string district, int level, int previous)
    {
        var e = Template("district_evacuation_level_changed");
        e["district"]!["districtId"] = district;
        e["district"]!["level"] = level;
        e["district"]!["issuedAt"] = Time(at);
        e["previousLevel"] = previous;
        return Event(at, e);
    }

    private SyntheticEvent Shelter(DateTimeOffset at, string shelter, bool open, int occupancy)
    {
        var e = Template("shelter_status_changed");
        var s = e["shelter"]!.AsObject();
        s["shelterId"] = shelter;
        s["open"] = open;
        s["occupancy"] = occupancy;
        s["crowding"] = !open ? "closed" : occupancy > 150 ? "somewhat_crowded" : "available";
        s["updatedAt"] = Time(at);
        return Event(at, e);
    }

    private SyntheticEvent Report(DateTimeOffset at, long id, string status, string kind)
    {
        var e = Template(kind);
        var r = e["report"]!.AsObject();
        r["reportId"] = id;
        r["clientId"] = Guid.NewGuid().ToString();
        r["status"] = status;
        r["updatedAt"] = Time(at);
        r["districtId"] = districts[(int)(id % districts.Count)];
        r["longitude"] = 140.17 + _random.NextDouble() * 0.08;
        r["latitude"] = 37.98 + _random.NextDouble() * 0.06;
        return Event(at, e);
    }

    private SyntheticEvent Alert(DateTimeOffset at, long id)
    {
        var e = Template("alert_raised");
        e["alert"]!["alertId"] = id;
        e["alert"]!["raisedAt"] = Time(at);
        e["alert"]!["districtId"] = districts[(int)(id % districts.Count)];
        return Event(at, e);
    }

    private SyntheticEvent Acknowledged(DateTimeOffset at, long id)
    {
        var e = Template("alert_acknowledged");
        e["alertId"] = id;
        e["acknowledgedAt"] = Time(at);
        return Event(at, e);
    }

    private SyntheticEvent Cleared(DateTimeOffset at, long id)
    {
        var e = Template("alert_cleared");
        e["alertId"] = id;
        e["clearedAt"] = Time(at);
        return Event(at, e);
    }

    private SyntheticEvent NewWarning(DateTimeOffset at, string status)
    {
        var e = Template("official_warning_changed");
        var w = e["warning"]!.AsObject();
        w["warningId"] = ++_warningId;
        w["status"] = status;
        w["issuedAt"] = Time(at);
        w["validUntil"] = Time(at.AddHours(20));
        w["updatedAt"] = Time(at);
        return Event(at, e);
    }

    private static string Ended(string payload, DateTimeOffset at)
    {
        var e = JsonNode.Parse(payload)!.AsObject();
        e["warning"]!["status"] = "ended";
        e["warning"]!["updatedAt"] = Time(at);
        return e.ToJsonString();
    }
}
