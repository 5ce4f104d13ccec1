using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Bousai.Server.Accounts;
using Bousai.Server.Audit;
using Bousai.Server.Drills;
using Bousai.Server.Live;
using Bousai.Server.Store;
using Bousai.Server.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bousai.Server.OfficialWarnings;

/// <summary>HQ's hand entry of an official warning: for a fax or a phone call from the prefecture.</summary>
public sealed record NewOfficialWarning(
    string? Kind,
    string? Name,
    string? Condition,
    int? LevelEquivalent,
    IReadOnlyList<string>? Areas,
    IReadOnlyList<string>? Rivers,
    string? IssuedAt,
    string? ValidUntil,
    string? Headline);

public static partial class OfficialWarningEndpoints
{
    private const int MaxHeadlineLength = 1_000;
    private const int MaxListed = 20;
    /// <summary>A clock in HQ may run a little ahead of the server's.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    public static IEndpointRouteBuilder MapOfficialWarningApi(this IEndpointRouteBuilder routes)
    {
        var warnings = routes.MapGroup("/api/official-warnings").WithTags("Official warnings");
        warnings.MapGet("/", InForceAsync).AllowAnonymous()
            .WithSummary("The official warnings in force for the town (気象警報・注意報, 土砂災害警戒情報, 指定河川洪水予報)");
        // Like every write here the upload is guarded by the one same-origin check (Web/SameOriginRequests); the form is
        // read by the handler, not bound, so ASP.NET's form antiforgery token does not apply.
        warnings.MapPost("/telegrams", UploadAsync).RequireAuthorization(AccountEndpoints.HqPolicy).DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(TelegramIntake.MaxBytes + 64 * 1024))
            .Accepts<string>("application/xml", "text/xml", "multipart/form-data")
            .WithSummary("Record a JMA 防災情報XML telegram (the XML as the body, or a file in a form) (HQ)")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        warnings.MapPost("/", EnterAsync).RequireAuthorization(AccountEndpoints.HqPolicy)
            .WithSummary("Record an official warning by hand, from a fax or a call (HQ)").ProducesProblem(StatusCodes.Status409Conflict);
        warnings.MapPost("/{warningId:long}/end", EndAsync).RequireAuthorization(AccountEndpoints.HqPolicy)
            .WithSummary("End an official warning in force (HQ)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }

    private static async Task<Ok<IReadOnlyList<OfficialWarning>>> InForceAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var warnings = await OfficialWarningStore.ReadInForceAsync(connection, null, ct);
        return TypedResults.Ok<IReadOnlyList<OfficialWarning>>([.. warnings.Select(w => w.ForPublic())]);
    }

    private static async Task<Results<Created<TelegramReceipt>, Ok<TelegramReceipt>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        HttpRequest request, ClaimsPrincipal user, TelegramIntake intake, CancellationToken ct)
    {
        byte[] xml;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            if (form.Files.FirstOrDefault() is not { } file)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Choose a telegram file (JMA 防災情報XML) to upload."] });
            }

            if (file.Length > TelegramIntake.MaxBytes) return TooLarge();
            using var copy = new MemoryStream();
            await file.CopyToAsync(copy, ct);
            xml = copy.ToArray();
        }
        else if (request.ContentType is { } type && IsXml(type))
        {
            using var copy = new MemoryStream();
            await request.Body.CopyToAsync(copy, ct);
            if (copy.Length > TelegramIntake.MaxBytes) return TooLarge();
            xml = copy.ToArray();
        }
        else
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Not a telegram upload",
                detail: "Send the telegram as application/xml or text/xml, or as a file in a multipart/form-data form.");
        }

        var (receipt, refusal) = await intake.RecordAsync(xml, OfficialWarningSource.JmaUpload, null, user.Identity!.Name!, ct);
        if (refusal is not null)
        {
            return refusal.NoDrill
                ? Problems.Conflict("No drill is on", refusal.Reason)
                : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a telegram this system records", detail: refusal.Reason);
        }

        return receipt!.Outcome == TelegramOutcome.Recorded ? TypedResults.Created((string?)null, receipt) : TypedResults.Ok(receipt);
    }

    private static bool IsXml(string contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/xml", StringComparison.OrdinalIgnoreCase)
            || media.MediaType.Equals("text/xml", StringComparison.OrdinalIgnoreCase));

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a telegram this system records",
        detail: $"The file is larger than {TelegramIntake.MaxBytes} bytes; JMA telegrams are far smaller.");

    private static async Task<Results<Created<OfficialWarning>, ValidationProblem, ProblemHttpResult>> EnterAsync(
        NewOfficialWarning entry, ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, IOptions<OfficialWarningOptions> options,
        CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        if (!DbEnum.TryParse<OfficialKind>(entry.Kind, out var kind)) errors["kind"] = ["Kind must be one of " + DbEnum.Names<OfficialKind>() + "."];
        var name = entry.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > TextInput.MaxNameLength)
        {
            errors["name"] = [$"Name the warning as it was issued (for example 大雨警報（土砂災害）), up to {TextInput.MaxNameLength} characters."];
        }

        var condition = string.IsNullOrWhiteSpace(entry.Condition) ? null : entry.Condition.Trim();
        if (condition?.Length > TextInput.MaxNameLength) errors["condition"] = [$"The condition is longer than {TextInput.MaxNameLength} characters."];
        if (entry.LevelEquivalent is not (null or (>= 1 and <= 5))) errors["levelEquivalent"] = ["警戒レベル相当, when given, is from 1 to 5."];
        var areas = Names(entry.Areas, "areas", errors) ?? [options.Value.Town.Name];
        var rivers = Names(entry.Rivers, "rivers", errors) ?? [];
        var headline = string.IsNullOrWhiteSpace(entry.Headline) ? null : entry.Headline.Trim();
        if (headline?.Length > MaxHeadlineLength) errors["headline"] = [$"The headline is longer than {MaxHeadlineLength} characters."];
        var issuedAt = (Time(entry.IssuedAt, "issuedAt", errors) ?? now).ToUniversalTime();
        if (issuedAt > now + ClockSkew) errors["issuedAt"] = ["The issue time is in the future."];
        var validUntil = Time(entry.ValidUntil, "validUntil", errors)?.ToUniversalTime();
        if (validUntil <= issuedAt) errors["validUntil"] = ["Valid until must be after the issue time."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var town = options.Value.Town;
        var by = user.Identity!.Name!;
        await using var change = await SituationChange.BeginAsync(db, ct);
        await OfficialWarningStore.LockAsync(change.Connection, change.Transaction, ct);
        var drillId = await DrillStore.CurrentIdAsync(change.Connection, change.Transaction, ct);
        var key = OfficialWarning.KeyOf(kind, town.Code, name!, condition);
        var inForce = await OfficialWarningStore.InForceAsync(change.Connection, change.Transaction, drillId, ct);
        if (inForce.Any(w => w.Warning.WarningKey == key))
        {
            return Problems.Conflict("Already in force", $"{name} is already recorded as in force; end it first or let the next telegram continue it.");
        }

        var level = entry.LevelEquivalent ?? ProductNames.Shipped.Find(name!, condition, issuedAt)?.Level;
        var saved = await OfficialWarningStore.InsertAsync(change.Connection, change.Transaction,
            new OfficialWarning(0, key, kind, name!, TelegramIntake.EnglishName(name!, condition, issuedAt), condition, level,
                OfficialWarningStatus.InForce, OfficialWarningSource.Hand, issuedAt, validUntil, areas, rivers, headline, EnteredByHand: true,
                EnteredBy: by, drillId, now),
            town.Code, scope: null, reportedAt: issuedAt, telegramId: null, ct);
        change.Record(new OfficialWarningChanged(saved) { At = now });
        change.Audit(new AuditEntry(by, "official_warning.enter", "official_warning", saved.WarningId.ToString(),
            new Dictionary<string, object?> { ["kind"] = DbEnum.Name(kind), ["name"] = saved.Name, ["level"] = saved.LevelEquivalent }));
        await change.CommitAsync(ct);
        return TypedResults.Created($"/api/official-warnings/{saved.WarningId}", saved);
    }

    private static async Task<Results<Ok<OfficialWarning>, ProblemHttpResult>> EndAsync(
        long warningId, ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        await using var change = await SituationChange.BeginAsync(db, ct);
        await OfficialWarningStore.LockAsync(change.Connection, change.Transaction, ct);
        if (await OfficialWarningStore.LockAsync(change.Connection, change.Transaction, warningId, ct) is not { } was)
        {
            return Problems.NotFound("No such official warning", $"There is no official warning {warningId}.");
        }

        if (was.Status != OfficialWarningStatus.InForce)
        {
            return Problems.Conflict("Not in force", $"Official warning {warningId} is {DbEnum.Name(was.Status)}.");
        }

        var now = time.GetUtcNow();
        var by = user.Identity!.Name!;
        var ended = was with { Status = OfficialWarningStatus.Ended, UpdatedAt = now };
        await OfficialWarningStore.UpdateAsync(change.Connection, change.Transaction, ended, null, null, null, ct);
        change.Record(new OfficialWarningChanged(ended) { At = now });
        change.Audit(new AuditEntry(by, "official_warning.end", "official_warning", warningId.ToString()));
        await change.CommitAsync(ct);
        return TypedResults.Ok(ended);
    }

    private static IReadOnlyList<string>? Names(IReadOnlyList<string>? given, string field, Dictionary<string, string[]> errors)
    {
        if (given is null) return null;
        var names = given.Select(n => n?.Trim() ?? "").Where(n => n.Length > 0).Distinct().ToList();
        if (names.Count > MaxListed || names.Any(n => n.Length > TextInput.MaxNameLength))
        {
            errors[field] = [$"Up to {MaxListed} names of up to {TextInput.MaxNameLength} characters each."];
        }

        return names.Count == 0 ? null : names;
    }

    private static DateTimeOffset? Time(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (IsoWithOffset().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)) return at;
        errors[field] = ["A time as ISO 8601 with its offset (2026-07-08T14:10:00+09:00)."];
        return null;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex IsoWithOffset();
}
