using Bousai.Server.Accounts;
using Bousai.Server.PublicView;
using Bousai.Server.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bousai.Server.SituationReport;

/// <summary>
/// The situation report: the PDF for HQ's meetings (/api/situation/report.pdf), the staff map at a moment
/// (/api/situation/map.png) and the residents' map of the live public picture (/public/map.png).
/// </summary>
public static class SituationReportEndpoints
{
    public const string PublicMapPath = "/public/map.png";
    public const int DefaultWidth = 1200;
    public const int DefaultHeight = 800;

    public static IServiceCollection AddSituationReport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SituationReportOptions>().Bind(configuration.GetSection("SituationReport"));
        services.AddSingleton<SituationReports>();
        return services;
    }

    public static IEndpointRouteBuilder MapSituationReportApi(this IEndpointRouteBuilder routes)
    {
        var staff = routes.MapGroup("/api/situation").RequireAuthorization(AccountEndpoints.StaffPolicy).WithTags("Situation report");
        staff.MapGet("/report.pdf", ReportAsync)
            .WithSummary("The situation report (状況報告) at a moment as a PDF, A4 or A3 landscape: the map, then the tables")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapGet("/map.png", MapAsync)
            .WithSummary("The situation map at a moment as a PNG, for e-mail and print")
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        // Beside the public view: anonymous, short-circuited, answered from the public picture in memory.
        var residents = routes.MapGroup("").AllowAnonymous().WithTags("Public view");
        residents.ShortCircuit();
        residents.MapMethods(PublicMapPath, [HttpMethods.Get, HttpMethods.Head], PublicMapAsync)
            .WithSummary("The public map of the live situation as a PNG (what residents may see: no report that is not public)")
            .Produces(StatusCodes.Status200OK, contentType: "image/png");
        return routes;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ReportAsync(string? moment, string? paper,
        SituationReports reports, TimeProvider time, CancellationToken ct)
    {
        var (at, momentError) = SituationReports.ParseMoment(moment, time.GetUtcNow());
        var (size, paperError) = SituationReports.ParsePaper(paper);
        if ((momentError ?? paperError) is { } error) return BadRequest(error);
        if (await reports.AtAsync(at!.Value, ct) is not { } snapshot) return BeforeTheRecord(at.Value);
        var pdf = await reports.PdfAsync(snapshot, at.Value, size!.Value, ct);
        var name = $"situation-report-{SituationTime.InJapan(at.Value):yyyyMMdd-HHmm}-{size.Value.ToString().ToLowerInvariant()}.pdf";
        return TypedResults.File(pdf, "application/pdf", name);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> MapAsync(string? moment, int? width, int? height,
        SituationReports reports, TimeProvider time, CancellationToken ct)
    {
        var (at, momentError) = SituationReports.ParseMoment(moment, time.GetUtcNow());
        if (momentError is not null) return BadRequest(momentError);
        var w = width ?? DefaultWidth;
        var h = height ?? DefaultHeight;
        if (w is < 320 or > 4000 || h is < 240 or > 3000) return BadRequest($"width must be 320 to 4000 and height 240 to 3000 pixels (asked {w} × {h}).");
        if (await reports.AtAsync(at!.Value, ct) is not { } snapshot) return BeforeTheRecord(at.Value);
        return TypedResults.File(await reports.StaffMapAsync(snapshot, at.Value, w, h, ct), "image/png");
    }

    private static async Task<IResult> PublicMapAsync(HttpContext http, PublicSituation view)
    {
        if (view.Current is not { } current)
        {
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Starting",
                detail: "The public view is taking its first picture of the situation; try again in a few seconds.");
        }

        var (etag, png) = http.RequestServices.GetRequiredService<SituationReports>().PublicMap(current.Picture);
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = PublicViewEndpoints.CacheControl;
        if (ConditionalGet.IsNotModified(http, etag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(await png.WaitAsync(http.RequestAborted), "image/png");
    }

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad situation report request", detail: detail);

    private static ProblemHttpResult BeforeTheRecord(DateTimeOffset moment) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Before the record",
            detail: $"The situation log does not reach back to {SituationTime.Jst(moment)}.");
}
