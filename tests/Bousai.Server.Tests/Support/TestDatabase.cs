using Npgsql;

namespace Bousai.Server.Tests.Support;

/// <summary>A fresh, empty database on the throwaway PostGIS cluster that ./bousai test starts; dropped afterwards.</summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private static string AdminConnectionString => Environment.GetEnvironmentVariable("BOUSAI_TEST_POSTGRES")
        ?? throw new InvalidOperationException(
            "BOUSAI_TEST_POSTGRES is not set: run the tests with ./bousai test, which starts a throwaway PostGIS cluster.");

    public string Name { get; } = "bousai_test_" + Guid.NewGuid().ToString("N")[..12];

    public string ConnectionString => new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = Name }.ConnectionString;

    public NpgsqlDataSource CreateDataSource()
    {
        var builder = new NpgsqlDataSourceBuilder(ConnectionString);
        builder.UseNetTopologySuite();
        return builder.Build();
    }

    public async Task InitializeAsync()
    {
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {Name}", admin);
        await create.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }

    /// <summary>The first row's two numbers, e.g. a point's longitude and latitude (SELECT ST_X(geom), ST_Y(geom) …).</summary>
    public async Task<(double Lon, double Lat)> PointAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no row: {sql}");
        return (reader.GetDouble(0), reader.GetDouble(1));
    }
}
