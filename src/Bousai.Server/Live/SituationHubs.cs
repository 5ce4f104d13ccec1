using Bousai.Server.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Bousai.Server.Live;

/// <summary>/hubs/situation: every event, for signed-in staff.</summary>
[Authorize(Policy = AccountEndpoints.StaffPolicy)]
public sealed class SituationHub(SituationFeed feed, StaffConnections connections) : Hub
{
    // Authenticated only when it opens, so the connection is tracked to end with its session (logout, disabled, role changed).
    public override Task OnConnectedAsync()
    {
        if (StaffSessions.SessionId(Context.User) is { } session) connections.Opened(Context, session);
        else Context.Abort();
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Closed(Context);
        return Task.CompletedTask;
    }

    /// <summary>Streams a snapshot (when <paramref name="after"/> is null) and then every event after it, in order.</summary>
    public IAsyncEnumerable<SituationMessage> Follow(long? after, CancellationToken cancellationToken) =>
        feed.FollowAsync(Audience.Staff, after, cancellationToken);
}

/// <summary>/hubs/public: public-safe projections, for anyone.</summary>
[AllowAnonymous]
public sealed class PublicSituationHub(SituationFeed feed) : Hub
{
    public IAsyncEnumerable<SituationMessage> Follow(long? after, CancellationToken cancellationToken) =>
        feed.FollowAsync(Audience.Public, after, cancellationToken);
}

public static class LiveRegistration
{
    public static IServiceCollection AddLive(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LiveOptions>().Bind(configuration.GetSection("Live"))
            .Validate(o => o.MaxBatch > 0 && o.MaxLag > 0 && o.RecentEventsKept > 0 && o.PollInterval > TimeSpan.Zero
                    && o.LogRetention > TimeSpan.Zero && o.StationUpdateInterval >= TimeSpan.Zero
                    && o.CheckpointEvery > 0 && o.CheckpointInterval > TimeSpan.Zero,
                "Live: MaxBatch, MaxLag, RecentEventsKept, PollInterval, LogRetention, CheckpointEvery and CheckpointInterval must be positive, StationUpdateInterval not negative.")
            .ValidateOnStart();
        services.AddSingleton<SituationSnapshots>();
        services.AddSingleton<SituationFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<SituationFeed>());
        services.AddHostedService<SituationLogPruner>();
        services.AddSingleton<SituationHistory>();
        services.AddSingleton<SituationCheckpointer>();
        services.AddHostedService(sp => sp.GetRequiredService<SituationCheckpointer>());
        services.AddSignalR().AddJsonProtocol(options => BousaiJson.Configure(options.PayloadSerializerOptions));
        return services;
    }

    public static IEndpointRouteBuilder MapLiveHubs(this IEndpointRouteBuilder routes)
    {
        routes.MapHub<SituationHub>("/hubs/situation");
        routes.MapHub<PublicSituationHub>("/hubs/public");
        return routes;
    }
}
