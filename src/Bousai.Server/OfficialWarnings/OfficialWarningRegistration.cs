namespace Bousai.Server.OfficialWarnings;

public static class OfficialWarningRegistration
{
    /// <summary>Recording telegrams, and their ways in besides HQ's upload: the JMA PULL feed and the drop directory (both off by default).</summary>
    public static IServiceCollection AddOfficialWarnings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OfficialWarningOptions>().Bind(configuration.GetSection("OfficialWarnings"))
            .Validate(o => o.PollSeconds > 0 && o.DropPollSeconds > 0, "OfficialWarnings:PollSeconds and DropPollSeconds must be positive.")
            .Validate(o => o.FeedUrl is null or "" || Uri.TryCreate(o.FeedUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                "OfficialWarnings:FeedUrl must be an http or https URL.")
            .Validate(o => o.TownAreaCode is { Length: 7 } code && code.All(char.IsAsciiDigit), "OfficialWarnings:TownAreaCode is a 7-digit JMA 市町村等 code.")
            .ValidateOnStart();
        services.AddHttpClient(JmaFeedPoller.ClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<TelegramIntake>();
        services.AddSingleton<JmaFeedPoller>();
        services.AddHostedService(sp => sp.GetRequiredService<JmaFeedPoller>());
        services.AddSingleton<TelegramDropDirectory>();
        services.AddHostedService(sp => sp.GetRequiredService<TelegramDropDirectory>());
        return services;
    }
}
