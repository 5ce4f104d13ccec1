using Bousai.Server.Sensors;
using Bousai.Server.Store;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Bousai.Server.Health;

public static class HealthEndpoints
{
    /// <summary>
    /// Mqtt says whether gauge ingestion is subscribed to its broker; being unsubscribed informs and does not decide
    /// readiness (the map works without gauges, and another instance may be ingesting). Ingestion that has messages and
    /// commits none for Mqtt:StuckAfter does decide it: readings are piling up unstored, and the operator must hear it.
    /// </summary>
    public sealed record Readiness(string Status, bool Database, IReadOnlyList<string> PendingMigrations, string? Error, bool Mqtt,
        IngestionStatus Ingestion);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", () => TypedResults.Text("ok")).WithTags("Health").WithSummary("The process is alive");
        routes.MapGet("/readyz", ReadyAsync).WithTags("Health")
            .WithSummary("The database is reachable, every migration is applied, and gauge ingestion is not stuck");
        return routes;
    }

    private static async Task<Results<Ok<Readiness>, JsonHttpResult<Readiness>>> ReadyAsync(
        NpgsqlDataSource db, SchemaMigrator migrator, ReadingIngester ingester, ILoggerFactory loggers, CancellationToken ct)
    {
        var ingestion = ingester.Status;
        try
        {
            await using var command = db.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(ct);
            var pending = migrator.PendingScripts();
            if (pending.Count > 0)
            {
                return TypedResults.Json(new Readiness("migrations pending", true, pending, null, ingestion.Subscribed, ingestion),
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            return ingestion.Stuck
                ? TypedResults.Json(new Readiness("ingestion stuck", true, pending, null, ingestion.Subscribed, ingestion),
                    statusCode: StatusCodes.Status503ServiceUnavailable)
                : TypedResults.Ok(new Readiness("ready", true, pending, null, ingestion.Subscribed, ingestion));
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            loggers.CreateLogger("Bousai.Readiness").LogWarning(e, "Readiness check failed");
            return TypedResults.Json(new Readiness("database unreachable", false, [], e.Message, ingestion.Subscribed, ingestion),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
