using Bousai.Server.Geodata;
using Bousai.Server.Store;

namespace Bousai.Server;

public static class Hosting
{
    /// <summary>Services shared by the web server and the operator commands.</summary>
    public static IServiceCollection AddBousaiCore(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddStore();
        services.AddSingleton<GeodataImporter>();
        services.AddSingleton<BuiltLayers>();
        return services;
    }
}
