using Bousai.Server.Sensors;
using Bousai.Server.Store;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Bousai.Server.Health;

public static class HealthEndpoints
{
    /// <summary>Mqtt says whether gauge ingestion is subscribed to its broker; it informs and does not decide readiness (the map works without gauges).</summary>
    public sealed record Readiness(string Status, bool Database, IReadOnlyList<string> PendingMigrations, string? Error, bool Mqtt);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", () => TypedResults.Text("ok")).WithTags("Health").WithSummary("The process is alive");
        routes.MapGet("/readyz", ReadyAsync).WithTags("Health").WithSummary("The database is reachable and every migration is applied");
        return routes;
    }

    private static async Task<Results<Ok<Readiness>, JsonHttpResult<Readiness>>> ReadyAsync(
        NpgsqlDataSource db, SchemaMigrator migrator, ReadingIngester ingester, ILoggerFactory loggers, CancellationToken ct)
    {
        try
        {
            await using var command = db.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(ct);
            var pending = migrator.PendingScripts();
            return pending.Count == 0
                ? TypedResults.Ok(new Readiness("ready", true, pending, null, ingester.IsConnected))
                : TypedResults.Json(new Readiness("migrations pending", true, pending, null, ingester.IsConnected), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            loggers.CreateLogger("Bousai.Readiness").LogWarning(e, "Readiness check failed");
            return TypedResults.Json(new Readiness("database unreachable", false, [], e.Message, ingester.IsConnected), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
