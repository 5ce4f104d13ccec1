using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Bousai.Server.Web;

/// <summary>
/// Configuration section "RateLimits": a token bucket per client address. The defaults are generous because a whole
/// town's phones can reach the server from one carrier-grade NAT address on the night of a flood.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public bool Enabled { get; set; } = true;

    /// <summary>Sustained requests per second per address.</summary>
    [Range(1, 1_000_000)]
    public int TokensPerSecond { get; set; } = 50;

    /// <summary>Requests an address may make at once before the sustained rate applies.</summary>
    [Range(1, 10_000_000)]
    public int Burst { get; set; } = 500;
}

/// <summary>
/// ASP.NET Core's rate limiter, global, partitioned by the client's address (the forwarded one when forwarded headers
/// are enabled, as they are applied first). Refusals are 429 problem details with Retry-After. Health probes and the
/// metrics scrape are never limited: an orchestrator or Prometheus must not lose sight of a busy server.
/// </summary>
public static class RateLimits
{
    private static readonly PathString[] Exempt = ["/healthz", "/readyz", "/metrics"];

    public static IServiceCollection AddRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section))
            .ValidateDataAnnotations()
            .Validate(options => options.Burst >= options.TokensPerSecond, "RateLimits:Burst must be at least RateLimits:TokensPerSecond.")
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, limits) =>
        {
            var bucket = new TokenBucketRateLimiterOptions
            {
                TokenLimit = limits.Value.Burst,
                TokensPerPeriod = limits.Value.TokensPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            };
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => IsExempt(http.Request.Path)
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetTokenBucketLimiter(ClientAddress(http), _ => bucket));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RefuseAsync;
        });
        return services;
    }

    /// <summary>Limits requests when RateLimits:Enabled (the default); call after the forwarded headers are applied.</summary>
    public static IApplicationBuilder UseRateLimits(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.Enabled ? app.UseRateLimiter() : app;

    public static bool IsExempt(PathString path) => Exempt.Any(exempt => path.Equals(exempt, StringComparison.OrdinalIgnoreCase));

    /// <summary>The partition key: the address as text, IPv4-mapped IPv6 folded to IPv4 so one client is one bucket.</summary>
    public static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress switch
    {
        null => "",
        { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4().ToString(),
        IPAddress address => address.ToString(),
    };

    private static async ValueTask RefuseAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var http = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This address has sent more requests than the server accepts from one address; try again in {seconds} s.",
            },
        });
    }
}
