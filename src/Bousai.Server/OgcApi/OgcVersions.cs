using System.Collections.Concurrent;
using Bousai.Server.Geodata;
using Bousai.Server.Live;
using Npgsql;

namespace Bousai.Server.OgcApi;

/// <summary>
/// What every OGC answer is made from, as one version: the situation log's position (every change of a report, shelter,
/// level, warning, alert or gauge appends to it) and the geodata revision. ETags carry it.
/// </summary>
public sealed class OgcVersions(SituationFeed feed, NpgsqlDataSource db)
{
    public async Task<string> CurrentAsync(CancellationToken ct) => $"{feed.Head}-{await GeodataRevision.ReadAsync(db, ct)}";
}

/// <summary>Each collection's extent, computed by PostGIS once per version and kept until the next.</summary>
public sealed class OgcExtents(NpgsqlDataSource db)
{
    private readonly ConcurrentDictionary<string, (string Version, OgcExtent Extent)> _kept = new(StringComparer.Ordinal);

    public async Task<OgcExtent> ReadAsync(OgcCollection collection, string version, CancellationToken ct)
    {
        if (_kept.TryGetValue(collection.Id, out var kept) && kept.Version == version) return kept.Extent;
        var extent = await OgcFeatureStore.ExtentAsync(db, collection, ct);
        _kept[collection.Id] = (version, extent);
        return extent;
    }
}
