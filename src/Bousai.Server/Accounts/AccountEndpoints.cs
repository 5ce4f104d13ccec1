using System.Security.Claims;
using Bousai.Domain.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Bousai.Server.Accounts;

public static class AccountEndpoints
{
    public const string StaffPolicy = "staff";
    public const string AdminPolicy = "admin";
    public const string HqPolicy = "hq";
    public const string ReportingPolicy = "reporting";
    public const string ShelterKeepingPolicy = "shelter-keeping";
    public const string RegistryPolicy = "registry";
    private const string ShelterClaim = "bousai:shelter";

    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountOptions>().Bind(configuration.GetSection("Accounts"))
            .Validate(o => o.SignInsPerAddress > 0 && o.SignInsPerAccount > 0 && o.ConcurrentSignIns > 0 && o.SignInWindow > TimeSpan.Zero
                    && o.SessionRecheckInterval > TimeSpan.Zero,
                "Accounts: SignInsPerAddress, SignInsPerAccount, ConcurrentSignIns, SignInWindow and SessionRecheckInterval must be positive.")
            .ValidateOnStart();
        services.AddSingleton<StaffSessions>();
        services.AddSingleton<StaffAccounts>();
        services.AddSingleton<StaffConnections>();
        services.AddHostedService<StaffConnectionWatch>();
        services.AddSignInLimits();
        services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = "/login";
                options.LogoutPath = "/logout";
                options.ReturnUrlParameter = "returnUrl";
                options.Cookie.Name = "bousai.session";
                options.Cookie.HttpOnly = true;
                // Strict: never sent on a navigation from another site. Pages on other origins of this same site (another
                // port or subdomain) still get it, so every state-changing request is also refused unless it comes from
                // this origin (Web/SameOriginRequests).
                options.Cookie.SameSite = SameSiteMode.Strict;
                // Secure whenever the request came over HTTPS, directly or as the gateway's X-Forwarded-Proto says.
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = StaffSessions.Lifetime;
                options.Events.OnValidatePrincipal = StaffSessions.ValidatePrincipalAsync;
                // APIs answer 401/403 as problem details; pages redirect to the login page.
                options.Events.OnRedirectToLogin = context => ApiOrRedirect(context, StatusCodes.Status401Unauthorized, "Sign-in required");
                options.Events.OnRedirectToAccessDenied = context => ApiOrRedirect(context, StatusCodes.Status403Forbidden, "Not allowed for your role");
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicy, policy => policy.RequireRole(Roles.Staff))
            .AddPolicy(AdminPolicy, policy => policy.RequireRole(Roles.Administrators))
            .AddPolicy(HqPolicy, policy => policy.RequireRole(Roles.Hq))
            .AddPolicy(ReportingPolicy, policy => policy.RequireRole(Roles.Reporters))
            .AddPolicy(ShelterKeepingPolicy, policy => policy.RequireRole(Roles.ShelterKeepers))
            .AddPolicy(RegistryPolicy, policy => policy.RequireRole(Roles.RegistryEditors));
        return services;
    }

    private static async Task ApiOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status, string title)
    {
        // A signed-in member whose role may not open a page (a shelter account on /field) gets the 403 too: the
        // framework's access-denied redirect leads to a page this server does not have.
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs")
            || status == StatusCodes.Status403Forbidden)
        {
            context.Response.StatusCode = status;
            var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context.HttpContext,
                ProblemDetails = { Status = status, Title = title },
            });
            return;
        }

        context.Response.Redirect(context.RedirectUri);
    }

    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/login", LoginPageAsync).AllowAnonymous().ExcludeFromDescription();
        routes.MapGet("/login.css", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return TypedResults.Text(LoginPage.Stylesheet, "text/css; charset=utf-8");
        }).AllowAnonymous().ExcludeFromDescription();
        routes.MapPost("/login", SignInAsync).AllowAnonymous().ExcludeFromDescription();
        routes.MapPost("/logout", SignOutAsync).ExcludeFromDescription();
        routes.MapGet("/api/me", Me).RequireAuthorization(StaffPolicy).WithTags("Accounts").WithSummary("The signed-in staff member");
        routes.MapGet("/api/admin/users", async (StaffAccounts accounts, CancellationToken ct) => TypedResults.Ok(await accounts.ListAsync(ct)))
            .RequireAuthorization(AdminPolicy).WithTags("Accounts").WithSummary("Staff accounts (admin only)");
        return routes;
    }

    public sealed record Profile(string UserName, string DisplayName, string Role, string RoleJa, IReadOnlyList<string> Shelters);

    private static Ok<Profile> Me(ClaimsPrincipal user)
    {
        var role = user.FindFirstValue(ClaimTypes.Role)!;
        return TypedResults.Ok(new Profile(user.Identity!.Name!, user.FindFirstValue(ClaimTypes.GivenName)!, role, Roles.NameJa(role),
            ShelterIds(user)));
    }

    /// <summary>The shelters a shelter-staff account is responsible for.</summary>
    public static IReadOnlyList<string> ShelterIds(ClaimsPrincipal user) => user.FindAll(ShelterClaim).Select(c => c.Value).ToList();

    private static ContentHttpResult LoginPageAsync(HttpContext http, IAntiforgery antiforgery, string? returnUrl, string? lang) =>
        LoginPage.Render(http, antiforgery, LoginPage.Language(http, lang), returnUrl, message: null, StatusCodes.Status200OK);

    // Fields bound one by one so a form missing an optional field still gets the login page, not a bare 400.
    private static async Task<IResult> SignInAsync([FromForm] string? userName, [FromForm] string? password, [FromForm] string? returnUrl,
        [FromForm] string? lang, HttpContext http, IAntiforgery antiforgery, StaffAccounts accounts, CancellationToken ct)
    {
        lang = LoginPage.Language(http, lang);
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            return LoginPage.Render(http, antiforgery, lang, returnUrl, LoginMessage.Missing, StatusCodes.Status400BadRequest);
        }

        var attempt = await accounts.SignInAsync(userName.Trim().ToLowerInvariant(), password, ct);
        if (attempt.Result == SignInResult.WrongCredentials)
        {
            return LoginPage.Render(http, antiforgery, lang, returnUrl, LoginMessage.Wrong, StatusCodes.Status401Unauthorized, userName);
        }

        var account = attempt.Account!;
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, account.Id.ToString()),
            new Claim(ClaimTypes.Name, account.UserName),
            new Claim(ClaimTypes.GivenName, account.DisplayName),
            new Claim(ClaimTypes.Role, account.Role),
            new Claim(StaffSessions.SessionClaim, attempt.Session!.Value.ToString()),
            .. account.ShelterIds.Select(id => new Claim(ShelterClaim, id)),
        ], CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(new ClaimsPrincipal(identity));
        return TypedResults.Redirect(IsLocal(returnUrl) ? returnUrl! : "/");
    }

    /// <summary>Ends the session on the server (every instance refuses the cookie from now on) and closes its hub connections here at once.</summary>
    private static async Task<RedirectHttpResult> SignOutAsync(HttpContext http, StaffSessions sessions, StaffConnections connections,
        CancellationToken ct)
    {
        if (StaffSessions.SessionId(http.User) is { } session)
        {
            await sessions.RevokeAsync(session, ct);
            connections.Abort(open => open == session);
        }

        await http.SignOutAsync();
        return TypedResults.Redirect("/login");
    }

    /// <summary>
    /// A path on this site: one leading '/', not '//' or '/\' (another host), and no control character, which browsers
    /// strip (so "/\t/evil.example" means //evil.example) and which cannot go into a Location header at all.
    /// </summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl);
}
