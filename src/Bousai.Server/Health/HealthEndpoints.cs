using Bousai.Server.Store;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Bousai.Server.Health;

public static class HealthEndpoints
{
    public sealed record Readiness(string Status, bool Database, IReadOnlyList<string> PendingMigrations, string? Error);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", () => TypedResults.Text("ok")).WithTags("Health").WithSummary("The process is alive");
        routes.MapGet("/readyz", ReadyAsync).WithTags("Health").WithSummary("The database is reachable and every migration is applied");
        return routes;
    }

    private static async Task<Results<Ok<Readiness>, JsonHttpResult<Readiness>>> ReadyAsync(
        NpgsqlDataSource db, SchemaMigrator migrator, ILoggerFactory loggers, CancellationToken ct)
    {
        try
        {
            await using var command = db.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(ct);
            var pending = migrator.PendingScripts();
            return pending.Count == 0
                ? TypedResults.Ok(new Readiness("ready", true, pending, null))
                : TypedResults.Json(new Readiness("migrations pending", true, pending, null), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            loggers.CreateLogger("Bousai.Readiness").LogWarning(e, "Readiness check failed");
            return TypedResults.Json(new Readiness("database unreachable", false, [], e.Message), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
