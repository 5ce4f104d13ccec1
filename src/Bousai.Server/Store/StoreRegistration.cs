using Npgsql;

namespace Bousai.Server.Store;

public static class StoreRegistration
{
    /// <summary>The one entry point to PostgreSQL: an NpgsqlDataSource with PostGIS types mapped to NetTopologySuite.</summary>
    public static IServiceCollection AddStore(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var builder = new NpgsqlDataSourceBuilder(ConnectionString(sp.GetRequiredService<IConfiguration>()));
            builder.UseNetTopologySuite();
            builder.UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>());
            return builder.Build();
        });
        services.AddSingleton(sp => new SchemaMigrator(ConnectionString(sp.GetRequiredService<IConfiguration>())));
        return services;
    }

    // Read when first resolved, not at registration, so every configuration source (including a test host's) is in.
    private static string ConnectionString(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Bousai");
        return string.IsNullOrWhiteSpace(connectionString)
            ? throw new InvalidOperationException(
                "ConnectionStrings:Bousai is not set (appsettings.json or the environment variable ConnectionStrings__Bousai).")
            : connectionString;
    }
}
