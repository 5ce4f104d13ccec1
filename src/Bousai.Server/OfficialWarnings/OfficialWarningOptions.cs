namespace Bousai.Server.OfficialWarnings;

/// <summary>Configuration section "OfficialWarnings": where telegrams come from besides HQ's uploads.</summary>
public sealed class OfficialWarningOptions
{
    /// <summary>JMA's PULL Atom feed (e.g. https://www.data.jma.go.jp/developer/xml/feed/extra.xml); null = not polled, as these machines have no internet.</summary>
    public string? FeedUrl { get; set; }

    public int PollSeconds { get; set; } = 60;

    /// <summary>A directory whose telegram files are recorded once, then moved to processed/ or failed/; null = not watched.</summary>
    public string? DropDirectory { get; set; }

    public int DropPollSeconds { get; set; } = 5;

    /// <summary>The town's JMA 市町村等 code: telegrams without an item for it are ignored.</summary>
    public string TownAreaCode { get; set; } = TownArea.Takahata.Code;

    public TownArea Town => TownArea.Takahata with { Code = TownAreaCode };
}
