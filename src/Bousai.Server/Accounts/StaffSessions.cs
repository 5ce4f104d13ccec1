using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Npgsql;

namespace Bousai.Server.Accounts;

/// <summary>
/// Server-side sessions (table staff_sessions): the cookie carries the session id, and a session is valid while it is
/// neither revoked (logout) nor expired, its user is not disabled and still has the role it signed in with.
/// </summary>
public sealed class StaffSessions(NpgsqlDataSource db, TimeProvider clock)
{
    public const string SessionClaim = "bousai:session";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    // The one rule of a valid session, shared by the per-request check and the hub connections' re-check.
    private const string Valid = "s.revoked_at IS NULL AND s.expires_at > $2 AND u.disabled_at IS NULL AND u.role = s.role";

    public static Guid? SessionId(ClaimsPrincipal? user) =>
        Guid.TryParse(user?.FindFirstValue(SessionClaim), out var id) ? id : null;

    /// <summary>Opens a session in the sign-in transaction, and forgets this user's sessions that have ended.</summary>
    public async Task<Guid> OpenAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, StaffAccount account, CancellationToken ct)
    {
        var id = Guid.NewGuid();
        var now = clock.GetUtcNow();
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("DELETE FROM staff_sessions WHERE user_id = $1 AND (expires_at <= $2 OR revoked_at IS NOT NULL)")
                {
                    Parameters = { new() { Value = account.Id }, new() { Value = now } },
                },
                new NpgsqlBatchCommand("INSERT INTO staff_sessions (id, user_id, role, expires_at) VALUES ($1, $2, $3, $4)")
                {
                    Parameters = { new() { Value = id }, new() { Value = account.Id }, new() { Value = account.Role }, new() { Value = now + Lifetime } },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        return id;
    }

    /// <summary>Whether the session is still valid; when <paramref name="renew"/>, also moves its end as the cookie's sliding expiry does.</summary>
    public async Task<bool> IsValidAsync(Guid sessionId, bool renew, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var command = db.CreateCommand(renew
            ? $"UPDATE staff_sessions s SET expires_at = $3 FROM users u WHERE s.id = $1 AND u.id = s.user_id AND {Valid} RETURNING true"
            : $"SELECT true FROM staff_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND {Valid}");
        command.Parameters.AddWithValue(sessionId);
        command.Parameters.AddWithValue(now);
        if (renew) command.Parameters.AddWithValue(now + Lifetime);
        return await command.ExecuteScalarAsync(ct) is true;
    }

    /// <summary>Which of these sessions are still valid, in one query.</summary>
    public async Task<IReadOnlySet<Guid>> StillValidAsync(IReadOnlyCollection<Guid> sessionIds, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"SELECT s.id FROM staff_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ANY($1) AND {Valid}");
        command.Parameters.AddWithValue(sessionIds.ToArray());
        command.Parameters.AddWithValue(clock.GetUtcNow());
        var valid = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) valid.Add(reader.GetGuid(0));
        return valid;
    }

    public async Task RevokeAsync(Guid sessionId, CancellationToken ct)
    {
        await using var command = db.CreateCommand("UPDATE staff_sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL");
        command.Parameters.AddWithValue(sessionId);
        command.Parameters.AddWithValue(clock.GetUtcNow());
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The cookie handler's check on every authenticated request: an ended session signs the cookie out.</summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<StaffSessions>();
        if (SessionId(context.Principal) is { } id && await sessions.IsValidAsync(id, context.ShouldRenew, context.HttpContext.RequestAborted))
        {
            return;
        }

        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
