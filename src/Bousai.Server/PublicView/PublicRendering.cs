using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Bousai.Server.Live;
using Bousai.Server.Store;

namespace Bousai.Server.PublicView;

public enum PublicDocument
{
    Page,
    Text,
    SituationJson,
    SheltersJson,
}

/// <summary>One public answer: its bytes as they are and compressed once (Brotli, gzip), with its validator.</summary>
public sealed record RenderedDocument(string ContentType, byte[] Identity, byte[] Gzip, byte[] Brotli, string ETag)
{
    public static RenderedDocument Of(string contentType, string body, string etag)
    {
        var identity = Encoding.UTF8.GetBytes(body);
        return new RenderedDocument(contentType, identity, Compress(identity, s => new GZipStream(s, CompressionLevel.SmallestSize)),
            Compress(identity, s => new BrotliStream(s, CompressionLevel.SmallestSize)), etag);
    }

    private static byte[] Compress(byte[] bytes, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var stream = compressor(output)) stream.Write(bytes);
        return output.ToArray();
    }
}

/// <summary>
/// The public documents of one picture, each rendered once on first request and kept until the picture changes or
/// the minute turns (the pages say "3分前"): thousands of residents asking cost one rendering and one compression.
/// </summary>
public sealed class PublicRendering(PublicPicture picture, string? template, PublicText? text)
{
    private readonly ConcurrentDictionary<(PublicDocument, PublicLanguage, string?, long), Lazy<RenderedDocument>> _documents = new();

    public PublicPicture Picture => picture;

    /// <summary>The web build's template and strings (public.html, public-messages.json); null where `npm run build` has not made them.</summary>
    public static (string? Template, PublicText? Text) ReadWebBuild(Microsoft.Extensions.FileProviders.IFileProvider webRoot)
    {
        string? Read(string file)
        {
            var info = webRoot.GetFileInfo(file);
            if (!info.Exists) return null;
            using var reader = new StreamReader(info.CreateReadStream());
            return reader.ReadToEnd();
        }

        var messages = Read("public-messages.json");
        return (Read("public.html"), messages is null ? null : PublicText.Parse(messages));
    }

    /// <summary>Whether the web build's template and strings are there (the pages need them; the JSON does not).</summary>
    public bool HasPages => template is not null && text is not null;

    public RenderedDocument Render(PublicDocument document, PublicLanguage language, PublicDistrict? from, DateTimeOffset now)
    {
        // JSON does not depend on the minute or the language; the pages do.
        var minute = document is PublicDocument.Page or PublicDocument.Text ? now.ToUnixTimeSeconds() / 60 : 0;
        var key = (document, document is PublicDocument.Page or PublicDocument.Text ? language : PublicLanguage.Ja, from?.Id, minute);
        if (_documents.Count > 512) _documents.Clear(); // every district × language × document is far fewer
        return _documents.GetOrAdd(key, k => new Lazy<RenderedDocument>(() => Build(k.Item1, k.Item2, from, now, k.Item4))).Value;
    }

    private RenderedDocument Build(PublicDocument document, PublicLanguage language, PublicDistrict? from, DateTimeOffset now, long minute)
    {
        var variant = $"{DbEnum.Name(document)}-{(language == PublicLanguage.En ? "en" : "ja")}-{from?.Id ?? "all"}-{minute}";
        var etag = $"W/\"pv-{picture.Version}-{variant}\"";
        return document switch
        {
            PublicDocument.Page => RenderedDocument.Of("text/html; charset=utf-8", PublicPages.Full(template!, text!, picture, language, from, now), etag),
            PublicDocument.Text => RenderedDocument.Of("text/html; charset=utf-8", PublicPages.Text(text!, picture, language, from, now), etag),
            PublicDocument.SituationJson => RenderedDocument.Of("application/json; charset=utf-8",
                JsonSerializer.Serialize(SituationMessage.ForSnapshot(picture.Snapshot), BousaiJson.Options), etag),
            _ => RenderedDocument.Of("application/geo+json; charset=utf-8", PublicShelterGeoJson.Write(picture), etag),
        };
    }
}

/// <summary>/public/shelters.json: every shelter with its fixed facts and its live public state, as GeoJSON (RFC 7946).</summary>
public static class PublicShelterGeoJson
{
    public static string Write(PublicPicture picture)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            json.WriteNumber("seq", picture.Snapshot.Seq);
            json.WriteString("updatedAt", picture.Snapshot.At);
            json.WriteStartArray("features");
            foreach (var shelter in picture.Geodata.Shelters)
            {
                var state = picture.ShelterState(shelter.Id);
                json.WriteStartObject();
                json.WriteString("type", "Feature");
                json.WriteString("id", shelter.Id);
                json.WriteStartObject("geometry");
                json.WriteString("type", "Point");
                json.WriteStartArray("coordinates");
                json.WriteNumberValue(Math.Round(shelter.Longitude, 7));
                json.WriteNumberValue(Math.Round(shelter.Latitude, 7));
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteStartObject("properties");
                json.WriteString("id", shelter.Id);
                json.WriteString("name_ja", shelter.NameJa);
                if (shelter.NameEn is not null) json.WriteString("name_en", shelter.NameEn);
                if (shelter.Address is not null) json.WriteString("address", shelter.Address);
                json.WriteBoolean("is_evacuation_shelter", shelter.IsEvacuationShelter);
                json.WriteBoolean("is_emergency_site", shelter.IsEmergencySite);
                json.WriteStartArray("hazards");
                foreach (var hazard in state?.Hazards ?? shelter.Hazards) json.WriteStringValue(hazard);
                json.WriteEndArray();
                if ((state?.Capacity ?? shelter.Capacity) is { } capacity) json.WriteNumber("capacity", capacity);
                json.WriteBoolean("capacity_assumed", state?.CapacityAssumed ?? shelter.CapacityAssumed);
                json.WriteBoolean("illustrative", shelter.Illustrative);
                if (state is not null)
                {
                    json.WriteString("kind", DbEnum.Name(state.Kind));
                    json.WriteBoolean("accessible", state.Accessible);
                    json.WriteBoolean("open", state.Open);
                    json.WriteString("crowding", state.Open ? DbEnum.Name(state.Crowding) : "closed");
                    json.WriteNumber("head_count", state.Occupancy);
                    if (state.Open && state.Capacity is { } room) json.WriteNumber("space", Math.Max(0, room - state.Occupancy));
                    if (state.UpdatedAt is { } at) json.WriteString("status_updated_at", at);
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
