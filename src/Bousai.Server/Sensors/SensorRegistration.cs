namespace Bousai.Server.Sensors;

public static class SensorRegistration
{
    /// <summary>The broker (embedded unless configured otherwise), ingestion from it, and the gauges' derived state.</summary>
    public static IServiceCollection AddSensors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MqttOptions>().Bind(configuration.GetSection("Mqtt"))
            .Validate(o => o.Port is > 0 and < 65536 && !string.IsNullOrWhiteSpace(o.Host), "Mqtt:Host and Mqtt:Port must name a broker.")
            .Validate(o => o.MaxBatch > 0 && o.MaxPayloadBytes > 0 && o.ReceiveMaximum > 0 && o.Retention > TimeSpan.Zero && o.StuckAfter > TimeSpan.Zero,
                "Mqtt:MaxBatch, MaxPayloadBytes, ReceiveMaximum, Retention and StuckAfter must be positive.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.ClientId), "Mqtt:ClientId must not be empty.")
            .Validate(o => o.MaxPacketBytes > o.MaxPayloadBytes && o.ConnectTimeout > TimeSpan.Zero,
                "Mqtt:MaxPacketBytes must exceed Mqtt:MaxPayloadBytes, and Mqtt:ConnectTimeout must be positive.")
            .Validate(o => string.IsNullOrEmpty(o.Gauges.Username) == string.IsNullOrEmpty(o.Gauges.Password),
                "Mqtt:Gauges needs both Username and Password, or neither.")
            .Validate(o => o.StationCredentials.All(c => BrokerAccess.IsStationId(c.StationId) && c.Username.Length > 0 && c.Password.Length > 0),
                "Each Mqtt:StationCredentials entry needs a StationId as the topic contract allows it, a Username and a Password.")
            .Validate(o => UserNames(o).Distinct(StringComparer.Ordinal).Count() == UserNames(o).Count(),
                "Mqtt:Username, Mqtt:Gauges:Username and the Mqtt:StationCredentials user names must all differ.")
            .ValidateOnStart();
        services.AddSingleton<ReadingStore>();
        // Started in this order: the embedded broker listens before ingestion connects to it.
        services.AddHostedService<EmbeddedBroker>();
        services.AddSingleton<ReadingIngester>();
        services.AddHostedService(sp => sp.GetRequiredService<ReadingIngester>());
        services.AddSingleton<Shelters.HazardMonitor>();
        services.AddSingleton<StationStateRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<StationStateRefresher>());
        return services;
    }

    private static IEnumerable<string> UserNames(MqttOptions o) =>
        new[] { o.Username, o.Gauges.Username }.Concat(o.StationCredentials.Select(c => c.Username)).Where(n => !string.IsNullOrEmpty(n))!;
}
