using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Bousai.Server.Web;

/// <summary>
/// A request the framework could not bind (unreadable JSON, a text refused by <see cref="TextInput"/>, a missing body,
/// a wrong content type) answers as a problem document, with the field named when the JSON reader knows it, for every
/// endpoint at once. Route handlers throw these because RouteHandlerOptions.ThrowOnBadRequest is on.
/// </summary>
public sealed class BadRequestProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad) return false;
        if (bad.InnerException is JsonException json)
        {
            await WriteFieldProblemAsync(http, FieldOf(json.Path), ReasonOf(json), problems);
            return true;
        }

        http.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = bad.StatusCode, Title = "The request could not be read", Detail = bad.Message },
            Exception = exception,
        });
    }

    public static Task WriteFieldProblemAsync(HttpContext http, string field, string reason) =>
        WriteFieldProblemAsync(http, field, reason, http.RequestServices.GetRequiredService<IProblemDetailsService>());

    private static async Task WriteFieldProblemAsync(HttpContext http, string field, string reason, IProblemDetailsService problems)
    {
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [TextInput.Printable(field)] = [reason] })
            {
                Status = StatusCodes.Status400BadRequest,
            },
        });
    }

    /// <summary>"$.note" → "note", "$.thresholds.flood" → "thresholds.flood", "$" (the whole body) → "body".</summary>
    public static string FieldOf(string? path) => path switch
    {
        null or "" or "$" => "body",
        _ when path.StartsWith("$.", StringComparison.Ordinal) => path[2..],
        _ when path.StartsWith('$') => path[1..],
        _ => path,
    };

    /// <summary>The reader's own words for malformed JSON, the rule's words for a refused text.</summary>
    public static string ReasonOf(JsonException json) =>
        json.Message.Split(" Path: ", 2)[0] is { Length: > 0 } reason ? reason : "The value could not be read.";
}
