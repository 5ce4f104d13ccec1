using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Bousai.Server.Web;

/// <summary>
/// What the OpenAPI document (/openapi/v1.json, from which the web client's HTTP types are generated) needs beyond
/// what ASP.NET Core reads off the endpoints' types.
/// </summary>
public static class OpenApiDescription
{
    public static OpenApiOptions DescribeBousai(this OpenApiOptions options)
    {
        // Every string goes through TextInput's converter, which hides its type from the schema exporter: say it.
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type == typeof(string))
            {
                var nullable = context.JsonPropertyInfo is { } property && property.IsGetNullable;
                schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            }

            return Task.CompletedTask;
        });
        // The web client calls its own origin: no absolute server address, so the document is the same wherever it is generated.
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Servers = [];
            foreach (var schema in document.Components?.Schemas?.Values ?? [])
            {
                OptionalWhenNullable(schema);
            }

            return Task.CompletedTask;
        });
        return options;
    }

    /// <summary>
    /// A nullable property is left out of responses when null (BousaiJson writes no nulls) and may be left out of
    /// requests (the endpoint names it in a 400 when it is needed), so it is not "required".
    /// </summary>
    private static void OptionalWhenNullable(IOpenApiSchema schema)
    {
        if (schema is not OpenApiSchema { Properties: { } properties, Required: { } required }) return;
        foreach (var (name, property) in properties)
        {
            var nullable = (property.Type is { } type && type.HasFlag(JsonSchemaType.Null))
                || (property.OneOf?.Any(s => s.Type == JsonSchemaType.Null) ?? false);
            if (nullable) required.Remove(name);
        }
    }
}
