using Bousai.Domain.Shelters;
using Bousai.Server.Live;
using Bousai.Server.Shelters;
using Npgsql;

namespace Bousai.Server.Tests.Support;

/// <summary>Appends events straight to the log, each in its own transaction, the way the change endpoints do.</summary>
public static class SituationWriter
{
    public static async Task<long> AppendAsync(NpgsqlDataSource db, SituationEvent change)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var appended = await SituationEventLog.AppendAsync(connection, transaction, change, CancellationToken.None);
        await transaction.CommitAsync();
        return appended.Seq;
    }

    public static ShelterStatusChanged ShelterEvent(int occupancy) => new(new ShelterState("takahata-shelter-01", true, occupancy, 300, false,
        ShelterCrowding.Band(true, occupancy, 300, false), DateTimeOffset.UtcNow, null, "test",
        new ShelterSuitability(true, true, []), ShelterKind.Both, ["flood", "earthquake"], true, false, null)) { At = DateTimeOffset.UtcNow };

    /// <summary>Several writers committing concurrently, <paramref name="perWriter"/> transactions each.</summary>
    public static Task BurstAsync(NpgsqlDataSource db, int writers, int perWriter, TimeSpan pause = default) =>
        Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                await AppendAsync(db, ShelterEvent(writer * perWriter + i));
                if (pause > TimeSpan.Zero) await Task.Delay(pause);
            }
        })));
}
