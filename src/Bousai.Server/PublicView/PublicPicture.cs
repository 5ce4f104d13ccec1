using Bousai.Server.Live;
using Bousai.Server.OfficialWarnings;
using Bousai.Server.Reports;
using Bousai.Server.Sensors;
using Bousai.Server.Shelters;

namespace Bousai.Server.PublicView;

/// <summary>
/// What the public view shows at one moment: the public snapshot (after event <see cref="SituationSnapshot.Seq"/>) and
/// the geodata it names things from. Everything residents receive is rendered from one of these, in memory.
/// </summary>
public sealed record PublicPicture(SituationSnapshot Snapshot, PublicGeodata Geodata, bool Simulated)
{
    /// <summary>Changes whenever anything shown can change: the log position or an import of geodata.</summary>
    public string Version => $"{Snapshot.Seq}-{Geodata.Revision}";

    public ShelterState? ShelterState(string shelterId) => Snapshot.Shelters.FirstOrDefault(s => s.ShelterId == shelterId);

    public int DistrictLevel(string districtId) => Snapshot.Districts.FirstOrDefault(d => d.DistrictId == districtId)?.Level ?? 0;

    /// <summary>Bands from the most room to none; closed and not yet known after every open one.</summary>
    private static readonly string[] BandOrder = ["available", "somewhat_crowded", "unknown", "crowded", "full"];

    /// <summary>
    /// The shelters in the order residents read them: open ones first, least crowded first; or, from a district's
    /// point, open ones nearest first and then the rest nearest first.
    /// </summary>
    public IReadOnlyList<(PublicShelter Shelter, ShelterState? State, double? DistanceMetres)> OrderedShelters(PublicDistrict? from)
    {
        var rows = Geodata.Shelters.Select(s => (Shelter: s, State: ShelterState(s.Id),
            DistanceMetres: from is null ? (double?)null : DistanceMetres(from.Longitude, from.Latitude, s.Longitude, s.Latitude)));
        return from is null
            ? [.. rows.OrderBy(r => Rank(r.State)).ThenBy(r => r.Shelter.Id, StringComparer.Ordinal)]
            : [.. rows.OrderBy(r => r.State?.Open == true ? 0 : 1).ThenBy(r => r.DistanceMetres).ThenBy(r => r.Shelter.Id, StringComparer.Ordinal)];
    }

    private static int Rank(ShelterState? state) =>
        state?.Open == true ? Array.IndexOf(BandOrder, Store.DbEnum.Name(state.Crowding)) is var i and >= 0 ? i : BandOrder.Length : BandOrder.Length + 1;

    /// <summary>Great-circle distance (haversine, mean Earth radius): shelters a few km apart need nothing finer.</summary>
    public static double DistanceMetres(double lon1, double lat1, double lon2, double lat2)
    {
        const double radius = 6_371_008.8;
        double Rad(double degrees) => degrees * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * radius * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>Each gauge with the state residents read: water level for river gauges, rainfall for rain gauges.</summary>
    public IReadOnlyList<(PublicStation Station, StationState? State)> Gauges() =>
        [.. Geodata.Stations.Select(s => (s, Snapshot.Stations.FirstOrDefault(st => st.StationId == s.Id
            && st.Quantity == (s.Kind == "rain" ? "rainfall" : "water_level"))))];

    /// <summary>The official warnings in force, highest 警戒レベル相当 first, then the latest issued.</summary>
    public IReadOnlyList<OfficialWarning> Warnings() =>
        [.. (Snapshot.OfficialWarnings ?? []).OrderByDescending(w => w.LevelEquivalent ?? 0).ThenByDescending(w => w.IssuedAt)];

    /// <summary>Verified public reports, the most severe first, then the latest change.</summary>
    public IReadOnlyList<FieldReport> Reports() =>
        [.. Snapshot.Reports.OrderByDescending(r => (int)r.Severity).ThenByDescending(r => r.UpdatedAt).ThenByDescending(r => r.ReportId)];
}
