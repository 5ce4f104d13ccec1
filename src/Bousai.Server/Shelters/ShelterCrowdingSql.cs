namespace Bousai.Server.Shelters;

/// <summary>
/// The crowding band of <see cref="Bousai.Domain.Shelters.ShelterCrowding.Band"/> as a SQL expression, for answers PostGIS
/// builds whole (OGC API items, vector tiles). ShelterCrowdingSqlTests holds it equal to the domain's rule over a table
/// of head counts and capacities, band edges included.
/// </summary>
public static class ShelterCrowdingSql
{
    public static string Band(string open, string occupancy, string capacity, string declaredFull) => $"""
        CASE WHEN NOT coalesce({open}, false) THEN 'closed'
             WHEN coalesce({declaredFull}, false) THEN 'full'
             WHEN {capacity} IS NULL OR {capacity} <= 0 THEN 'unknown'
             WHEN coalesce({occupancy}, 0)::bigint * 100 < 30::bigint * {capacity} THEN 'available'
             WHEN coalesce({occupancy}, 0)::bigint * 100 < 60::bigint * {capacity} THEN 'somewhat_crowded'
             WHEN coalesce({occupancy}, 0)::bigint * 100 < 80::bigint * {capacity} THEN 'crowded'
             ELSE 'full' END
        """;
}
