using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bousai.Server.OfficialWarnings;

/// <summary>One official product name with the 警戒レベル相当 it carries and the dates the name was in use.</summary>
/// <param name="Condition">When set, the entry applies only when the telegram's condition (e.g. 土砂災害) contains it.</param>
/// <param name="From">First day (JST) the name is in use, inclusive; null = since before this system.</param>
/// <param name="Until">First day (JST) the name is no longer in use; null = still in use.</param>
public sealed record ProductName(
    string Name, string? Condition, int? Level, string En, DateOnly? From, DateOnly? Until);

/// <summary>The name of a 警戒レベル the town issues (避難情報), in Japanese and English, and the dates the name was in use.</summary>
public sealed record EvacuationLevelLabel(int Level, string Name, string En, DateOnly? From, DateOnly? Until);

/// <summary>
/// JMA's product names with their effective dates, read from product-names.json: JMA renamed the weather products
/// in 2026, so which name means which level depends on when a telegram was issued. The table is data, not code.
/// </summary>
public sealed class ProductNames
{
    static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    // Declared before Shipped: static initializers run in textual order.
    static readonly JsonSerializerOptions FileJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    public IReadOnlyList<ProductName> Products { get; }
    public IReadOnlyList<string> Sources { get; }
    public IReadOnlyList<EvacuationLevelLabel> EvacuationLevels { get; }

    ProductNames(IReadOnlyList<ProductName> products, IReadOnlyList<string> sources, IReadOnlyList<EvacuationLevelLabel> evacuationLevels)
    {
        Products = products;
        Sources = sources;
        EvacuationLevels = evacuationLevels;
    }

    /// <summary>The table shipped with the server.</summary>
    public static ProductNames Shipped { get; } = Load();

    static ProductNames Load()
    {
        using var stream = Assembly.GetExecutingAssembly()
            .GetManifestResourceStream("Bousai.Server.OfficialWarnings.product-names.json")
            ?? throw new InvalidOperationException("product-names.json is not embedded in the server assembly");
        return FromJson(stream);
    }

    public static ProductNames FromJson(Stream json)
    {
        var file = JsonSerializer.Deserialize<TableFile>(json, FileJson)
            ?? throw new InvalidDataException("product-names.json is empty");
        if (file.Sources is not { Count: > 0 })
            throw new InvalidDataException("product-names.json names no sources");
        var products = (file.Products ?? []).Select(p => new ProductName(
            string.IsNullOrWhiteSpace(p.Name) ? throw new InvalidDataException("a product has no name") : p.Name,
            p.Condition, p.Level is null or (>= 1 and <= 5) ? p.Level
                : throw new InvalidDataException($"{p.Name}: level {p.Level} is not 1 to 5"),
            p.En ?? throw new InvalidDataException($"{p.Name}: no English name"),
            p.From, p.Until)).ToList();
        foreach (var p in products)
            if (p.From is { } from && p.Until is { } until && until <= from)
                throw new InvalidDataException($"{p.Name}: until {until} is not after from {from}");
        var levels = (file.EvacuationLevels ?? []).Select(l => new EvacuationLevelLabel(
            l.Level is >= 3 and <= 5 ? l.Level : throw new InvalidDataException($"{l.Name}: evacuation level {l.Level} is not 3 to 5"),
            string.IsNullOrWhiteSpace(l.Name) ? throw new InvalidDataException("an evacuation level has no name") : l.Name,
            l.En ?? throw new InvalidDataException($"{l.Name}: no English name"),
            l.From, l.Until)).ToList();
        foreach (var l in levels)
            if (l.From is { } from && l.Until is { } until && until <= from)
                throw new InvalidDataException($"{l.Name}: until {until} is not after from {from}");
        return new ProductNames(products, file.Sources, levels);
    }

    /// <summary>
    /// The entry for a product name as issued at <paramref name="issuedAt"/>; an entry with a matching condition
    /// wins over the plain one (大雨警報（土砂災害） is 3相当, 大雨警報 for 浸水害 alone carries no level).
    /// </summary>
    public ProductName? Find(string name, string? condition, DateTimeOffset issuedAt)
    {
        var day = DateOnly.FromDateTime(issuedAt.ToOffset(Jst).DateTime);
        var current = Products.Where(p => p.Name == name
            && (p.From is null || p.From <= day) && (p.Until is null || day < p.Until)).ToList();
        return current.FirstOrDefault(p => p.Condition is not null && condition?.Contains(p.Condition) == true)
            ?? current.FirstOrDefault(p => p.Condition is null);
    }

    /// <summary>
    /// The name of 警戒レベル <paramref name="level"/> (3 to 5) as issued at <paramref name="at"/> (the 2021 names from
    /// 2021-05-20: 高齢者等避難, 避難指示, 緊急安全確保); null for a level the town does not issue.
    /// </summary>
    public EvacuationLevelLabel? EvacuationLevelName(int level, DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(at.ToOffset(Jst).DateTime);
        return EvacuationLevels.FirstOrDefault(l => l.Level == level
            && (l.From is null || l.From <= day) && (l.Until is null || day < l.Until));
    }

    sealed record TableFile(List<string>? Sources, List<ProductRow>? Products, List<EvacuationLevelRow>? EvacuationLevels);

    sealed record EvacuationLevelRow(int Level, string Name, string? En, DateOnly? From, DateOnly? Until);

    sealed record ProductRow(string Name, string? Condition, int? Level, string? En, DateOnly? From, DateOnly? Until);
}
