using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bousai.Server;

/// <summary>The one JSON configuration: HTTP APIs, SignalR hubs and the situation event log all use it.</summary>
public static class BousaiJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.Converters.Add(new Web.TextInput.JsonConverter());
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        // Numbers are JSON numbers, in and out (the Web defaults also read "4" as 4, which the OpenAPI document then has
        // to describe as number-or-string).
        options.NumberHandling = JsonNumberHandling.Strict;
        // jsonb stores object keys in its own order, so the "kind" discriminator is not always first.
        options.AllowOutOfOrderMetadataProperties = true;
        return options;
    }
}
