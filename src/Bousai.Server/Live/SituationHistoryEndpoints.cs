using Bousai.Server.Accounts;
using Bousai.Server.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bousai.Server.Live;

/// <summary>
/// The situation at a moment in the past, for HQ's time travel, the situation report and the review after an event:
/// the record's extent, the whole staff picture at a moment, and the events after a position up to a moment (to play on).
/// </summary>
public static class SituationHistoryEndpoints
{
    /// <summary>Most events in one answer of /api/situation/events.</summary>
    public const int MaxEvents = 5_000;

    /// <summary>A moment this far ahead of the server's clock is still "now" (a browser's clock runs a little fast).</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    public static IEndpointRouteBuilder MapSituationHistoryApi(this IEndpointRouteBuilder routes)
    {
        var situation = routes.MapGroup("/api/situation").WithTags("Situation history").RequireAuthorization(AccountEndpoints.StaffPolicy);
        situation.MapGet("/record", RecordAsync).WithSummary("How far back the situation can be shown, and when the last event happened");
        situation.MapGet("/at", AtAsync).WithSummary("The whole situation as staff saw it at a moment (ISO 8601 with offset), rebuilt from the event log");
        situation.MapGet("/events", EventsAsync)
            .WithSummary("The events after a position (seq) that happened up to a moment, in order, to play the past forward");
        return routes;
    }

    private static async Task<Ok<SituationRecord>> RecordAsync(SituationHistory history, CancellationToken ct) =>
        TypedResults.Ok(await history.RecordAsync(ct));

    private static async Task<Results<Ok<PastSituation>, ValidationProblem, ProblemHttpResult>> AtAsync(
        DateTimeOffset? moment, SituationHistory history, TimeProvider time, CancellationToken ct)
    {
        if (CheckMoment(moment, "moment", time) is { } refused) return refused;
        if (await history.PastAsync(moment!.Value, ct) is { } past) return TypedResults.Ok(past);
        var record = await history.RecordAsync(ct);
        return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Before the record begins",
            detail: record.StartsAt is { } startsAt
                ? $"The record of the situation begins at {startsAt:O}; choose a moment from then on."
                : "The record of the situation has not begun yet.",
            extensions: new Dictionary<string, object?> { ["recordStartsAt"] = record.StartsAt });
    }

    private static async Task<Results<Ok<PastEvents>, ValidationProblem>> EventsAsync(
        long? after, DateTimeOffset? until, int? limit, SituationHistory history, TimeProvider time, CancellationToken ct)
    {
        if (CheckMoment(until, "until", time) is { } refused) return refused;
        var errors = new Dictionary<string, string[]>();
        if (after is null or < 0) errors["after"] = ["Give the position (seq) shown now: a whole number, 0 or more."];
        if (limit is < 1 or > MaxEvents) errors["limit"] = [$"Ask for 1 to {MaxEvents} events."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await history.EventsAsync(after!.Value, until!.Value, limit ?? MaxEvents, ct));
    }

    private static ValidationProblem? CheckMoment(DateTimeOffset? moment, string name, TimeProvider time) => moment switch
    {
        null => TypedResults.ValidationProblem(new Dictionary<string, string[]>
        {
            [name] = ["Give the moment as an ISO 8601 date and time with its offset, for example 2026-07-25T14:00:00+09:00."],
        }),
        { } m when m > time.GetUtcNow() + ClockSkew => TypedResults.ValidationProblem(new Dictionary<string, string[]>
        {
            [name] = ["The moment is in the future: the record holds the past up to now."],
        }),
        _ => null,
    };
}
