using Bousai.Domain.Shelters;
using Bousai.Server.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Bousai.Server.Shelters;

/// <summary>An open, suitable shelter with space, and its straight-line distance from the resident.</summary>
public sealed record NearbyShelter(ShelterState Shelter, double DistanceMetres);

/// <summary>The nearest open, suitable, not-full shelters to a point or a district (anyone).</summary>
public static class NearestShelters
{
    private const int MaxLimit = 10;

    public static IEndpointRouteBuilder MapNearestShelterApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/shelters/nearest", NearestAsync)
            .AllowAnonymous()
            .WithTags("Shelters")
            .WithSummary("The nearest open, suitable shelters with space, from a point (lon, lat) or a district, with the straight-line distance")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Results<Ok<IReadOnlyList<NearbyShelter>>, ValidationProblem, ProblemHttpResult>> NearestAsync(
        double? lon, double? lat, string? district, int? limit, NpgsqlDataSource db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var byPoint = lon is not null || lat is not null;
        if (byPoint && district is not null) errors["district"] = ["Give either a point (lon, lat) or a district, not both."];
        else if (!byPoint && district is null) errors["lon"] = ["Give a point (lon and lat) or a district."];
        else if (byPoint)
        {
            if (lon is not (>= -180 and <= 180)) errors["lon"] = ["The longitude must be a number from -180 to 180."];
            if (lat is not (>= -90 and <= 90)) errors["lat"] = ["The latitude must be a number from -90 to 90."];
        }

        if (limit is not null and not (>= 1 and <= MaxLimit)) errors["limit"] = [$"The limit must be from 1 to {MaxLimit}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var states = await ShelterStore.ReadAllAsync(connection, transaction, ct);
        // Suitability is the pure rules' (over PostGIS's zones); open, not full and the nearest order are filtered in SQL.
        var suitable = states.Where(s => s.Suitability.Suitable).Select(s => s.ShelterId).ToArray();
        await using var command = new NpgsqlCommand(
            """
            WITH origin AS (
                SELECT CASE WHEN $1::text IS NULL THEN ST_SetSRID(ST_MakePoint($2, $3), 4326)
                            ELSE (SELECT ST_PointOnSurface(geom) FROM districts WHERE id = $1) END AS geom)
            SELECT s.id, ST_Distance(s.geom::geography, o.geom::geography)
            FROM origin o, shelters s JOIN shelter_status st ON st.shelter_id = s.id
            WHERE o.geom IS NOT NULL AND st.status = 'open' AND NOT st.declared_full AND s.id = ANY($4)
              AND (s.capacity IS NULL OR s.capacity = 0 OR st.occupancy::bigint * 100 < 80::bigint * s.capacity)
            ORDER BY s.geom <-> o.geom
            LIMIT $5
            """, connection, transaction);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, (object?)district ?? DBNull.Value);
        command.Parameters.AddWithValue(lon ?? 0);
        command.Parameters.AddWithValue(lat ?? 0);
        command.Parameters.AddWithValue(suitable);
        command.Parameters.AddWithValue(limit ?? 3);
        var byId = states.ToDictionary(s => s.ShelterId);
        var nearby = new List<NearbyShelter>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                nearby.Add(new NearbyShelter(byId[reader.GetString(0)].ForPublic(), reader.GetDouble(1)));
            }
        }

        if (district is not null && nearby.Count == 0)
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM districts WHERE id = $1", connection, transaction);
            exists.Parameters.AddWithValue(district);
            if (await exists.ExecuteScalarAsync(ct) is null) return Problems.NotFound("No such district", $"There is no district with id '{district}'.");
        }

        await transaction.CommitAsync(ct);
        return TypedResults.Ok<IReadOnlyList<NearbyShelter>>(nearby);
    }
}
