using DbUp;
using DbUp.Engine;
using Npgsql;

namespace Bousai.Server.Store;

/// <summary>
/// Applies the versioned SQL scripts in Store/Migrations (embedded, applied in name order, journalled by DbUp in
/// the table <c>schemaversions</c>). Re-running is a no-op. An advisory lock lets several instances start at once.
/// </summary>
public sealed class SchemaMigrator(string connectionString)
{
    private const long MigrationLockKey = 0x6F75_7361_69; // "ousai": any constant shared by all instances

    private UpgradeEngine Engine() => DeployChanges.To
        .PostgresqlDatabase(connectionString)
        .WithScriptsEmbeddedInAssembly(typeof(SchemaMigrator).Assembly, name => name.Contains(".Store.Migrations."))
        .WithTransactionPerScript()
        .LogToNowhere()
        .Build();

    /// <returns>The names of the scripts applied by this call (empty when the schema was already current).</returns>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock($1)", connection))
        {
            lockCommand.Parameters.AddWithValue(MigrationLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var result = Engine().PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException(
                    $"Migration {result.ErrorScript?.Name} failed: {result.Error.Message}", result.Error);
            }

            return result.Scripts.Select(s => s.Name).ToList();
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
            unlock.Parameters.AddWithValue(MigrationLockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>Scripts not yet applied; throws when the database cannot be reached.</summary>
    public IReadOnlyList<string> PendingScripts() =>
        Engine().GetScriptsToExecute().Select(s => s.Name).ToList();
}
