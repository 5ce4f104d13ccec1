using System.Text.Json;
using Npgsql;

namespace Bousai.Server.Audit;

/// <summary>Who did what, written in the same transaction as the change it describes.</summary>
public static class AuditLog
{
    public static async Task RecordAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        AuditEntry entry,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO audit_log (actor, action, entity, entity_id, details) VALUES ($1, $2, $3, $4, $5::jsonb)",
            connection, transaction);
        command.Parameters.AddWithValue(entry.Actor);
        command.Parameters.AddWithValue(entry.Action);
        command.Parameters.AddWithValue(entry.Entity);
        command.Parameters.AddWithValue((object?)entry.EntityId ?? DBNull.Value);
        command.Parameters.AddWithValue(JsonSerializer.Serialize(entry.Details ?? new Dictionary<string, object?>()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

public sealed record AuditEntry(string Actor, string Action, string Entity, string? EntityId = null,
    IReadOnlyDictionary<string, object?>? Details = null);
