namespace Bousai.Server.Sensors;

public static class SensorRegistration
{
    /// <summary>The broker (embedded unless configured otherwise), ingestion from it, and the gauges' derived state.</summary>
    public static IServiceCollection AddSensors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MqttOptions>().Bind(configuration.GetSection("Mqtt"))
            .Validate(o => o.Port is > 0 and < 65536 && !string.IsNullOrWhiteSpace(o.Host), "Mqtt:Host and Mqtt:Port must name a broker.")
            .Validate(o => o.MaxBatch > 0 && o.MaxPayloadBytes > 0 && o.ReceiveMaximum > 0 && o.Retention > TimeSpan.Zero,
                "Mqtt:MaxBatch, MaxPayloadBytes, ReceiveMaximum and Retention must be positive.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.ClientId), "Mqtt:ClientId must not be empty.")
            .ValidateOnStart();
        services.AddSingleton<ReadingStore>();
        // Started in this order: the embedded broker listens before ingestion connects to it.
        services.AddHostedService<EmbeddedBroker>();
        services.AddSingleton<ReadingIngester>();
        services.AddHostedService(sp => sp.GetRequiredService<ReadingIngester>());
        services.AddSingleton<StationStateRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<StationStateRefresher>());
        return services;
    }
}
