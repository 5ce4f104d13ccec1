using Bousai.Domain.Shelters;
using Bousai.Server.Shelters;
using Bousai.Server.Store;
using Bousai.Server.Tests.Support;
using Npgsql;

namespace Bousai.Server.Tests.Shelters;

/// <summary>The SQL crowding band (for answers PostGIS builds whole) is the domain's rule, band edges included.</summary>
public sealed class ShelterCrowdingSqlTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Every_head_count_and_capacity_gets_the_band_the_domain_gives()
    {
        var cases = (
            from open in new[] { false, true }
            from declaredFull in new[] { false, true }
            from capacity in new int?[] { null, 0, 1, 7, 10, 100, 333 }
            from occupancy in Enumerable.Range(0, 131).Concat([1_000, 100_000])
            select (open, declaredFull, capacity, occupancy)).ToArray();

        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT {ShelterCrowdingSql.Band("c.open", "c.occupancy", "c.capacity", "c.declared_full")} " +
            "FROM unnest($1::bool[], $2::int[], $3::int[], $4::bool[]) WITH ORDINALITY AS c(open, occupancy, capacity, declared_full, n) ORDER BY n",
            connection);
        command.Parameters.AddWithValue(cases.Select(c => c.open).ToArray());
        command.Parameters.AddWithValue(cases.Select(c => c.occupancy).ToArray());
        command.Parameters.AddWithValue(cases.Select(c => c.capacity).ToArray());
        command.Parameters.AddWithValue(cases.Select(c => c.declaredFull).ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        var i = 0;
        while (await reader.ReadAsync())
        {
            var (open, declaredFull, capacity, occupancy) = cases[i++];
            Assert.True(DbEnum.Name(ShelterCrowding.Band(open, occupancy, capacity, declaredFull)) == reader.GetString(0),
                $"open {open}, full {declaredFull}, {occupancy} of {capacity?.ToString() ?? "unknown"}: SQL says {reader.GetString(0)}");
        }

        Assert.Equal(cases.Length, i);
    }
}
