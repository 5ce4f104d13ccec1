namespace Bousai.Server.Notifications;

public static class NotificationRegistration
{
    /// <summary>Residents' Web Push: the kept VAPID keys and the sender (the outbox is written by the situation event log).</summary>
    public static IServiceCollection AddResidentNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection("Notifications"))
            .Validate(o => o.Concurrency is >= 1 and <= 1000 && o.BatchSize is >= 1 and <= 10_000 && o.EncryptionLanes is >= 1 and <= 1000,
                "Notifications:Concurrency and EncryptionLanes are 1 to 1000 and Notifications:BatchSize 1 to 10000.")
            .Validate(o => o.LeaseSeconds >= 10 && o.MaxAttempts >= 1 && o.PollMilliseconds >= 10,
                "Notifications:LeaseSeconds is at least 10, MaxAttempts at least 1, PollMilliseconds at least 10.")
            .Validate(o => o.Subject.StartsWith("mailto:", StringComparison.Ordinal) || o.Subject.StartsWith("https://", StringComparison.Ordinal),
                "Notifications:Subject is a mailto: or https: URL (RFC 8292).")
            .ValidateOnStart();
        services.AddSingleton<VapidKeys>();
        services.AddSingleton<PushSender>();
        services.AddHostedService(sp => sp.GetRequiredService<PushSender>());
        return services;
    }
}
