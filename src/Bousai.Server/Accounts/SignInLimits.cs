using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Bousai.Server.Accounts;

/// <summary>
/// Rate limits on POST /login, checked before any password is hashed: per address, then per account name (known or
/// not, so the answer says nothing about which names exist), then a cap on password checks at once. They replace a
/// hard per-account lockout, which let anyone lock HQ out by guessing wrong on purpose.
/// </summary>
public static partial class SignInLimits
{
    public static IServiceCollection AddSignInLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<AccountOptions>>((limiter, accounts) =>
        {
            var limits = accounts.Value;
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => IsSignIn(http)
                    ? RateLimitPartition.GetFixedWindowLimiter("address:" + Address(http), _ => Window(limits.SignInsPerAddress, limits.SignInWindow))
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(http => IsSignIn(http) && AccountName(http) is { } name
                    ? RateLimitPartition.GetFixedWindowLimiter("account:" + name, _ => Window(limits.SignInsPerAccount, limits.SignInWindow))
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(http => IsSignIn(http)
                    ? RateLimitPartition.GetConcurrencyLimiter("password-checks", _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = limits.ConcurrentSignIns, QueueLimit = 4 * limits.ConcurrentSignIns,
                        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    })
                    : RateLimitPartition.GetNoLimiter("")));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RefuseAsync;
        });
        return services;
    }

    /// <summary>
    /// Reads the sign-in form before the limiter, whose partitions are chosen synchronously, so the per-account limit can
    /// see the user name without blocking a thread on the request body. The limiter itself is the app's one
    /// UseRateLimiter (Web/RateLimits.UseRateLimits), right after this.
    /// </summary>
    public static IApplicationBuilder UseSignInLimits(this IApplicationBuilder app)
    {
        app.Use(async (http, next) =>
        {
            if (IsSignIn(http) && http.Request.HasFormContentType)
            {
                try
                {
                    await http.Request.ReadFormAsync(http.RequestAborted);
                }
                catch (InvalidDataException)
                {
                    // A malformed form is limited per address only; the endpoint's form binding answers it with 400.
                }
            }

            await next(http);
        });
        return app;
    }

    internal static bool IsSignIn(HttpContext http) => HttpMethods.IsPost(http.Request.Method) && http.Request.Path == "/login";

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) =>
        new() { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true };

    private static string Address(HttpContext http) => http.Connection.RemoteIpAddress is { } address
        ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
        : "unknown";

    // The same normalisation as the sign-in itself, so "HQ " and "hq" share one limit.
    private static string? AccountName(HttpContext http) =>
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IFormFeature>()?.Form is { } form
        && form["userName"].ToString().Trim().ToLowerInvariant() is { Length: > 0 } name
            ? name
            : null;

    private static async ValueTask RefuseAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SignInLimits)).LogSignInRefused(Address(http), seconds);
        var message = LoginMessage.TooManyAttempts(seconds);
        if (http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            // A person at the sign-in form: the form again, with the wait in words, not a JSON document.
            var form = http.Features.Get<Microsoft.AspNetCore.Http.Features.IFormFeature>()?.Form;
            await LoginPage.Render(http, http.RequestServices.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>(),
                LoginPage.Language(http, form?["lang"].ToString() is { Length: > 0 } lang ? lang : null), form?["returnUrl"].ToString(),
                message, StatusCodes.Status429TooManyRequests, form?["userName"].ToString()).ExecuteAsync(http);
            return;
        }

        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many sign-in attempts",
                Detail = $"{message.En} / {message.Ja}",
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused by the rate limit for {Address}; retry after {RetryAfterSeconds} s")]
    private static partial void LogSignInRefused(this ILogger logger, string address, int retryAfterSeconds);
}
