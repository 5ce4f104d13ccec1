using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Bousai.Server.Tests.Support;
using Bousai.Server.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Bousai.Server.Tests.Web;

/// <summary>
/// The web client's files as a phone on a congested network gets them: precompressed at build (Brotli, gzip), cached for a
/// year under Vite's hashed names, revalidated by ETag otherwise; and the dynamic answers compressed on the fly.
/// </summary>
public sealed class StaticAssetTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    private HttpClient Plain() => app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private byte[] WebRootFile(string path)
    {
        var file = app.Services.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider.GetFileInfo(path);
        Assert.True(file.Exists, $"wwwroot has no {path}: the web client is not built (npm run build in web/)");
        using var stream = file.CreateReadStream();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The largest script under assets/ (the map library): the one that matters most on a slow link.</summary>
    private string LargestScript()
    {
        var assets = app.Services.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider.GetDirectoryContents("assets");
        var script = assets.Where(f => f.Name.EndsWith(".js", StringComparison.Ordinal)).MaxBy(f => f.Length);
        Assert.True(script is not null, "wwwroot/assets has no script: the web client is not built (npm run build in web/)");
        return "assets/" + script!.Name;
    }

    private static HttpRequestMessage Get(string url, string? acceptEncoding = null, EntityTagHeaderValue? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptEncoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        if (ifNoneMatch is not null) request.Headers.IfNoneMatch.Add(ifNoneMatch);
        return request;
    }

    private static byte[] Decode(string encoding, byte[] body)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = encoding switch
        {
            "br" => new BrotliStream(input, CompressionMode.Decompress),
            "gzip" => new GZipStream(input, CompressionMode.Decompress),
            _ => throw new InvalidOperationException("unexpected Content-Encoding " + encoding),
        };
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task A_hashed_asset_is_sent_precompressed_and_cached_for_a_year(string encoding)
    {
        var path = LargestScript();
        var original = WebRootFile(path);
        using var client = Plain();

        var response = await client.SendAsync(Get("/" + path, encoding));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
        Assert.True(body.Length < original.Length / 2, $"{path}: {body.Length} bytes as {encoding} for {original.Length}");
        Assert.Equal(original, Decode(encoding, body));
        Assert.Equal(StaticAssets.ImmutableCacheControl, response.Headers.CacheControl?.ToString());
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.NotNull(response.Headers.ETag);
        // The security headers still apply to files.
        Assert.True(response.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task Brotli_is_preferred_when_both_are_accepted_and_identity_when_neither()
    {
        var path = "/" + LargestScript();
        using var client = Plain();

        var both = await client.SendAsync(Get(path, "gzip, deflate, br"));
        var neither = await client.SendAsync(Get(path));

        Assert.Equal(["br"], both.Content.Headers.ContentEncoding);
        Assert.Empty(neither.Content.Headers.ContentEncoding);
        Assert.Equal(WebRootFile(path[1..]), await neither.Content.ReadAsByteArrayAsync());
        Assert.Equal(StaticAssets.ImmutableCacheControl, neither.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_hashed_asset_revalidates_to_304_with_its_etag()
    {
        var path = "/" + LargestScript();
        using var client = Plain();
        var first = await client.SendAsync(Get(path, "br"));
        var etag = first.Headers.ETag!;

        var again = await client.SendAsync(Get(path, "br", etag));

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, again.Headers.ETag);
        Assert.Equal(StaticAssets.ImmutableCacheControl, again.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("field-sw.js")]
    [InlineData("shelter-sw.js")]
    [InlineData("public-sw.js")]
    public async Task A_service_worker_is_revalidated_every_time_and_answers_304_when_unchanged(string worker)
    {
        using var client = Plain();

        var first = await client.SendAsync(Get("/" + worker, "br"));
        var body = await first.Content.ReadAsByteArrayAsync();
        var again = await client.SendAsync(Get("/" + worker, "br", first.Headers.ETag));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/javascript", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["br"], first.Content.Headers.ContentEncoding);
        Assert.Equal(WebRootFile(worker), Decode("br", body));
        Assert.True(first.Headers.CacheControl?.NoCache, $"{worker}: Cache-Control {first.Headers.CacheControl}");
        Assert.False(first.Headers.CacheControl?.MaxAge > TimeSpan.Zero, $"{worker}: Cache-Control {first.Headers.CacheControl}");
        Assert.NotNull(first.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Theory]
    [InlineData("notifications/level-0.png", "image/png")]
    [InlineData("notifications/level-1.png", "image/png")]
    [InlineData("notifications/level-2.png", "image/png")]
    [InlineData("notifications/level-3.png", "image/png")]
    [InlineData("notifications/level-4.png", "image/png")]
    [InlineData("notifications/level-5.png", "image/png")]
    [InlineData("notifications/warning.png", "image/png")]
    [InlineData("notifications/shelter-open.png", "image/png")]
    [InlineData("notifications/shelter-full.png", "image/png")]
    [InlineData("notifications/shelter-closed.png", "image/png")]
    [InlineData("notifications/badge.png", "image/png")]
    [InlineData("icons/public-192.png", "image/png")]
    [InlineData("icons/public-512.png", "image/png")]
    [InlineData("icons/public-maskable-512.png", "image/png")]
    [InlineData("icons/apple-touch-icon.png", "image/png")]
    [InlineData("public-app.webmanifest", "application/manifest+json")]
    [InlineData("public-app-en.webmanifest", "application/manifest+json")]
    public async Task The_notification_and_home_screen_files_are_served_as_what_they_are(string file, string type)
    {
        using var client = Plain();

        var response = await client.SendAsync(Get("/" + file));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(WebRootFile(file), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_pages_are_still_served_and_compressed_on_the_fly()
    {
        using var anonymous = Plain();
        var publicPage = await anonymous.SendAsync(Get("/public", "br"));
        var publicBody = await publicPage.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, publicPage.StatusCode);
        Assert.Equal("text/html", publicPage.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["br"], publicPage.Content.Headers.ContentEncoding);
        Assert.Contains("<html", System.Text.Encoding.UTF8.GetString(Decode("br", publicBody)));

        using var field = await app.SignedInClientAsync("field");
        var fieldPage = await field.SendAsync(Get("/field", "gzip"));
        Assert.Equal(HttpStatusCode.OK, fieldPage.StatusCode);
        Assert.Equal(["gzip"], fieldPage.Content.Headers.ContentEncoding);
        Assert.Contains("<html", System.Text.Encoding.UTF8.GetString(Decode("gzip", await fieldPage.Content.ReadAsByteArrayAsync())));

        using var hq = await app.SignedInClientAsync("hq");
        Assert.Equal(HttpStatusCode.OK, (await hq.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/")).StatusCode);
    }

    /// <summary>Problem details name their request; everything else must be the same bytes.</summary>
    private static string WithoutTraceId(byte[] body) =>
        System.Text.RegularExpressions.Regex.Replace(System.Text.Encoding.UTF8.GetString(body), "\"traceId\":\"[^\"]*\"", "");

    [Theory]
    [InlineData("/api/layers/shelters", "application/geo+json")]
    [InlineData("/api/config", "application/json")]
    [InlineData("/cap/feed.atom", "application/atom+xml")]
    [InlineData("/api/no-such-thing", "application/problem+json")]
    public async Task Dynamic_answers_are_compressed_on_the_fly(string url, string mediaType)
    {
        using var client = Plain();

        var brotli = await client.SendAsync(Get(url, "br"));
        var gzip = await client.SendAsync(Get(url, "gzip"));
        var plain = await client.SendAsync(Get(url));
        var plainBody = WithoutTraceId(await plain.Content.ReadAsByteArrayAsync());

        Assert.Equal(mediaType, brotli.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["br"], brotli.Content.Headers.ContentEncoding);
        Assert.Equal(["gzip"], gzip.Content.Headers.ContentEncoding);
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal(plainBody, WithoutTraceId(Decode("br", await brotli.Content.ReadAsByteArrayAsync())));
        Assert.Equal(plainBody, WithoutTraceId(Decode("gzip", await gzip.Content.ReadAsByteArrayAsync())));
    }
}
