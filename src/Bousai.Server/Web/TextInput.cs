using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bousai.Server.Web;

/// <summary>
/// What every text that comes in (JSON bodies, form fields, query strings) must be before any endpoint sees it:
/// free of NUL (PostgreSQL cannot store it in text), valid Unicode (no unpaired surrogate), and not longer than
/// <see cref="MaxLength"/>. Endpoints set their own, tighter limits per field; this is the floor for all of them.
/// </summary>
public static class TextInput
{
    /// <summary>No text field anywhere is longer: the longest real one, a field report's description, allows 2,000.</summary>
    public const int MaxLength = 10_000;

    /// <summary>Names: people, stations, rivers, places.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Why <paramref name="text"/> is refused, or null when it is acceptable.</summary>
    public static string? Refusal(string? text, int maxLength = MaxLength)
    {
        if (text is null) return null;
        if (text.Length > maxLength) return $"The text is longer than {maxLength} characters.";
        if (text.Contains('\0')) return "The text contains a NUL character (U+0000).";
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i])) continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return "The text is not valid Unicode (an unpaired surrogate).";
        }

        return null;
    }

    /// <summary>
    /// Reads every JSON string through <see cref="Refusal"/>, property names included, so no endpoint has to remember
    /// it; the refusal becomes a 400 naming the field (<see cref="BadRequestProblems"/>).
    /// </summary>
    public sealed class JsonConverter : JsonConverter<string>
    {
        public override bool HandleNull => false;

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"Expected a string, got {reader.TokenType}.");
            }

            return Checked(ref reader);
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

        public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Checked(ref reader);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WritePropertyName(value);

        private static string Checked(ref Utf8JsonReader reader)
        {
            string text;
            try
            {
                text = reader.GetString()!;
            }
            catch (InvalidOperationException e)
            {
                // System.Text.Json refuses an escaped unpaired surrogate ("\ud800") when it unescapes it.
                throw new JsonException("The text is not valid Unicode (an unpaired surrogate).", e);
            }

            return Refusal(text) is { } refusal ? throw new JsonException(refusal) : text;
        }
    }

    /// <summary>
    /// Refuses a request whose query string breaks the rules, with a 400 naming the parameter, before any endpoint binds
    /// it. Reads no body, so it runs before routing and covers short-circuited endpoints too.
    /// </summary>
    public static IApplicationBuilder UseQueryTextRules(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (Refused(http.Request.Query.SelectMany(q => q.Value.Select(v => (q.Key, Value: v)))) is { } problem)
        {
            await BadRequestProblems.WriteFieldProblemAsync(http, problem.Field, problem.Reason);
            return;
        }

        await next(http);
    });

    /// <summary>
    /// Refuses a request whose form fields break the rules, with a 400 naming the field, before any endpoint (or the
    /// sign-in check) binds them. After routing: reading the form must honour the endpoint's own body size limit
    /// (a field report's photos are larger than the server's default).
    /// </summary>
    public static IApplicationBuilder UseFormTextRules(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        (string Field, string Reason)? refused = null;
        if (http.Request.HasFormContentType)
        {
            try
            {
                var form = await http.Request.ReadFormAsync(http.RequestAborted);
                refused = Refused(form.SelectMany(f => f.Value.Select(v => (f.Key, Value: v))));
            }
            catch (InvalidDataException e)
            {
                // The form reader itself refuses a NUL, without saying in which field.
                refused = ("form", e.Message);
            }
        }

        if (refused is { } problem)
        {
            await BadRequestProblems.WriteFieldProblemAsync(http, problem.Field, problem.Reason);
            return;
        }

        await next(http);
    });

    private static (string Field, string Reason)? Refused(IEnumerable<(string Key, string? Value)> fields)
    {
        foreach (var (key, value) in fields)
        {
            if ((Refusal(key, MaxNameLength) ?? Refusal(value)) is { } reason) return (key, reason);
        }

        return null;
    }

    /// <summary>A refused field's name, safe to echo back in a problem document: shortened, NUL and lone surrogates replaced.</summary>
    public static string Printable(string name)
    {
        var builder = new StringBuilder(Math.Min(name.Length, MaxNameLength));
        foreach (var c in name.Take(MaxNameLength)) builder.Append(c == '\0' || char.IsSurrogate(c) ? '\uFFFD' : c);
        return builder.ToString();
    }
}
