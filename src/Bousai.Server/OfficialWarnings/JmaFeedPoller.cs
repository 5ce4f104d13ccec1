using System.Net;
using System.Net.Http.Headers;
using System.Xml;
using System.Xml.Linq;
using Bousai.Server.Sensors;
using Microsoft.Extensions.Options;

namespace Bousai.Server.OfficialWarnings;

/// <summary>
/// Polls JMA's PULL Atom feed (OfficialWarnings:FeedUrl; off when unset) every PollSeconds, conditionally
/// (If-None-Match / If-Modified-Since from the last answer, so an unchanged feed costs a 304), and records each new
/// entry of a kind this system reads. A telegram fetched again after a restart is stored once (it is a duplicate).
/// </summary>
public sealed partial class JmaFeedPoller(
    IHttpClientFactory clients, TelegramIntake intake, IOptions<OfficialWarningOptions> options, TimeProvider time, ILogger<JmaFeedPoller> logger)
    : BackgroundService
{
    public const string ClientName = "jma-feed";
    private const string Actor = "system:jma-feed";
    private const int EntriesRemembered = 2_000;

    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    /// <summary>Entry titles of the kinds the reader records; the feeds carry many other products.</summary>
    private static readonly string[] RecordedTitles = ["気象警報・注意報", "気象特別警報・警報・注意報", "土砂災害警戒情報", "指定河川洪水予報"];

    private static readonly XmlReaderSettings Safe = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = JmaTelegramReader.MaxCharacters,
        MaxCharactersFromEntities = 0,
    };

    private readonly LinkedList<string> _seenOrder = new();
    private readonly HashSet<string> _seen = [];
    private EntityTagHeaderValue? _etag;
    private DateTimeOffset? _lastModified;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.FeedUrl is not { Length: > 0 } url) return Task.CompletedTask;
        var feed = new Uri(url);
        var every = TimeSpan.FromSeconds(Math.Max(1, options.Value.PollSeconds));
        return SupervisedLoop.RunAsync("jma-feed", async ct =>
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await PollAsync(feed, ct);
                }
                catch (Exception e) when (e is HttpRequestException or XmlException or TaskCanceledException && !ct.IsCancellationRequested)
                {
                    LogPollFailed(e, feed);
                }

                await Task.Delay(every, time, ct);
            }
        }, logger, time, stoppingToken);
    }

    /// <summary>One poll of the feed: the entries it recorded, or none when the feed is unchanged (304).</summary>
    public async Task<int> PollAsync(Uri feed, CancellationToken ct)
    {
        var client = clients.CreateClient(ClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, feed);
        if (_etag is not null) request.Headers.IfNoneMatch.Add(_etag);
        if (_lastModified is not null) request.Headers.IfModifiedSince = _lastModified;
        using var response = await client.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NotModified) return 0;
        response.EnsureSuccessStatusCode();

        XDocument document;
        await using (var body = await response.Content.ReadAsStreamAsync(ct))
        using (var reader = XmlReader.Create(body, Safe))
        {
            document = XDocument.Load(reader);
        }

        var recorded = 0;
        foreach (var entry in document.Root?.Elements(Atom + "entry") ?? [])
        {
            var id = entry.Element(Atom + "id")?.Value.Trim();
            var title = entry.Element(Atom + "title")?.Value.Trim() ?? "";
            var href = entry.Elements(Atom + "link").Select(l => (string?)l.Attribute("href")).FirstOrDefault(h => !string.IsNullOrWhiteSpace(h));
            if (id is null || href is null || _seen.Contains(id) || !RecordedTitles.Any(title.StartsWith)) continue;
            var link = new Uri(feed, href);
            var xml = await client.GetByteArrayAsync(link, ct);
            var (receipt, refusal) = await intake.RecordAsync(xml, OfficialWarningSource.JmaFeed, link.ToString(), Actor, ct);
            if (refusal is not null) LogRefused(link, refusal.Reason);
            else if (receipt!.Outcome == Bousai.Server.OfficialWarnings.TelegramOutcome.Recorded) recorded++;
            Remember(id);
        }

        // Remembered only once every entry is handled: a failed fetch is tried again at the next poll, not skipped as unchanged.
        _etag = response.Headers.ETag;
        _lastModified = response.Content.Headers.LastModified;
        return recorded;
    }

    private void Remember(string id)
    {
        _seen.Add(id);
        _seenOrder.AddLast(id);
        if (_seenOrder.Count <= EntriesRemembered) return;
        _seen.Remove(_seenOrder.First!.Value);
        _seenOrder.RemoveFirst();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling the JMA feed {Feed} failed; trying again at the next poll")]
    private partial void LogPollFailed(Exception e, Uri feed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The telegram {Link} from the JMA feed was refused: {Reason}")]
    private partial void LogRefused(Uri link, string reason);
}
