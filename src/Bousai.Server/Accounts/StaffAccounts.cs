using Bousai.Domain.Accounts;
using Bousai.Server.Audit;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace Bousai.Server.Accounts;

public sealed record StaffAccount(long Id, string UserName, string DisplayName, string Role, IReadOnlyList<string> ShelterIds);

/// <summary>Configuration section "Accounts".</summary>
public sealed class AccountOptions
{
    /// <summary>Sign-in attempts one address may make per <see cref="SignInWindow"/>, whatever the account.</summary>
    public int SignInsPerAddress { get; set; } = 10;

    /// <summary>
    /// Sign-in attempts per account name per <see cref="SignInWindow"/>, from all addresses together: above
    /// <see cref="SignInsPerAddress"/>, so that one address cannot keep an account's owner out.
    /// </summary>
    public int SignInsPerAccount { get; set; } = 30;

    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Password checks at once; more wait in a short queue, so a burst of sign-ins cannot starve the rest of the service.</summary>
    public int ConcurrentSignIns { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>How often open staff hub connections re-check that their session is still valid.</summary>
    public TimeSpan SessionRecheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}

public enum SignInResult { Succeeded, WrongCredentials }

public sealed record SignInAttempt(SignInResult Result, StaffAccount? Account, Guid? Session);

/// <summary>Staff accounts in the users table. Passwords are hashed with ASP.NET Core Identity's PasswordHasher.</summary>
public sealed class StaffAccounts(NpgsqlDataSource db, StaffSessions sessions)
{
    private static readonly PasswordHasher<StaffAccount> Hasher = new();
    // Verified when the user name is unknown or disabled, so those cost as much time as a wrong password.
    private static readonly string UnknownUserHash = Hasher.HashPassword(null!, "unknown-user-timing-equaliser");

    /// <summary>Checks the password and, when it is right, opens a session. Unknown and disabled accounts answer as a wrong password does.</summary>
    public async Task<SignInAttempt> SignInAsync(string userName, string password, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var find = new NpgsqlCommand(
            "SELECT id, display_name, role, password_hash FROM users WHERE user_name = $1 AND disabled_at IS NULL FOR UPDATE",
            connection, transaction);
        find.Parameters.AddWithValue(userName);
        long id;
        string displayName, role, hash;
        await using (var reader = await find.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                Hasher.VerifyHashedPassword(null!, UnknownUserHash, password);
                return new SignInAttempt(SignInResult.WrongCredentials, null, null);
            }

            (id, displayName, role, hash) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
        }

        var account = new StaffAccount(id, userName, displayName, role, await ShelterIdsAsync(connection, transaction, id, ct));
        var verification = Hasher.VerifyHashedPassword(account, hash, password);
        if (verification == PasswordVerificationResult.Failed)
        {
            await AuditLog.RecordAsync(connection, transaction, new AuditEntry(userName, "login.failed", "user", userName), ct);
            await transaction.CommitAsync(ct);
            return new SignInAttempt(SignInResult.WrongCredentials, null, null);
        }

        if (verification == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await using var rehash = new NpgsqlCommand("UPDATE users SET password_hash = $2 WHERE id = $1", connection, transaction);
            rehash.Parameters.AddWithValue(id);
            rehash.Parameters.AddWithValue(Hasher.HashPassword(account, password));
            await rehash.ExecuteNonQueryAsync(ct);
        }

        var session = await sessions.OpenAsync(connection, transaction, account, ct);
        await AuditLog.RecordAsync(connection, transaction, new AuditEntry(userName, "login", "user", userName), ct);
        await transaction.CommitAsync(ct);
        return new SignInAttempt(SignInResult.Succeeded, account, session);
    }

    /// <summary>Disables an account (it cannot sign in, and its sessions end at once) or enables it again.</summary>
    public async Task SetDisabledAsync(string userName, bool disabled, string actor, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var update = new NpgsqlCommand(
            "UPDATE users SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, now()) END WHERE user_name = $1", connection, transaction);
        update.Parameters.AddWithValue(userName);
        update.Parameters.AddWithValue(disabled);
        if (await update.ExecuteNonQueryAsync(ct) == 0)
        {
            throw new ArgumentException($"There is no user '{userName}'.");
        }

        await AuditLog.RecordAsync(connection, transaction, new AuditEntry(actor, disabled ? "user.disable" : "user.enable", "user", userName), ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>Creates an account, or when <paramref name="replaceExisting"/> resets the password and role of an existing one.</summary>
    public async Task<StaffAccount> SaveAsync(NewStaffAccount account, string actor, bool replaceExisting, CancellationToken ct)
    {
        if (!Roles.IsKnown(account.Role))
        {
            throw new ArgumentException($"Unknown role '{account.Role}'. Roles: {string.Join(", ", Roles.All)}.");
        }

        if (account.Role == Roles.Shelter && account.ShelterIds.Count == 0)
        {
            throw new ArgumentException("A shelter account must be tied to at least one shelter (--shelter ID).");
        }

        if (account.Password.Length < 12)
        {
            throw new ArgumentException("Passwords must be at least 12 characters.");
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var hash = Hasher.HashPassword(null!, account.Password);
        await using var upsert = new NpgsqlCommand($"""
            INSERT INTO users (user_name, display_name, role, password_hash) VALUES ($1, $2, $3, $4)
            ON CONFLICT (user_name) DO {(replaceExisting
                ? "UPDATE SET display_name = excluded.display_name, role = excluded.role, password_hash = excluded.password_hash"
                : "NOTHING")}
            RETURNING id, (xmax = 0)
            """, connection, transaction);
        upsert.Parameters.AddWithValue(account.UserName);
        upsert.Parameters.AddWithValue(account.DisplayName);
        upsert.Parameters.AddWithValue(account.Role);
        upsert.Parameters.AddWithValue(hash);
        long id;
        bool created;
        try
        {
            await using var reader = await upsert.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                throw new ArgumentException($"The user '{account.UserName}' already exists.");
            }

            (id, created) = (reader.GetInt64(0), reader.GetBoolean(1));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation)
        {
            throw new ArgumentException(
                $"'{account.UserName}' is not a valid user name: use 2–63 lower-case letters, digits, '.', '_' or '-'.");
        }

        await using (var clear = new NpgsqlCommand("DELETE FROM user_shelters WHERE user_id = $1", connection, transaction))
        {
            clear.Parameters.AddWithValue(id);
            await clear.ExecuteNonQueryAsync(ct);
        }

        foreach (var shelterId in account.ShelterIds)
        {
            await using var tie = new NpgsqlCommand("INSERT INTO user_shelters (user_id, shelter_id) VALUES ($1, $2)", connection, transaction);
            tie.Parameters.AddWithValue(id);
            tie.Parameters.AddWithValue(shelterId);
            try
            {
                await tie.ExecuteNonQueryAsync(ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
            {
                throw new ArgumentException($"There is no shelter '{shelterId}' (import the shelters first).");
            }
        }

        await AuditLog.RecordAsync(connection, transaction, new AuditEntry(actor, created ? "user.create" : "user.reset", "user", account.UserName,
            new Dictionary<string, object?> { ["role"] = account.Role, ["shelters"] = account.ShelterIds }), ct);
        await transaction.CommitAsync(ct);
        return new StaffAccount(id, account.UserName, account.DisplayName, account.Role, account.ShelterIds);
    }

    public async Task<bool> ExistsAsync(string userName, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM users WHERE user_name = $1)");
        command.Parameters.AddWithValue(userName);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task<IReadOnlyList<StaffAccountListing>> ListAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            SELECT u.user_name, u.display_name, u.role, u.disabled_at IS NOT NULL,
                   coalesce(array_agg(s.shelter_id ORDER BY s.shelter_id) FILTER (WHERE s.shelter_id IS NOT NULL), '{}')
            FROM users u LEFT JOIN user_shelters s ON s.user_id = u.id
            GROUP BY u.id ORDER BY u.user_name
            """);
        var result = new List<StaffAccountListing>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(new StaffAccountListing(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.GetBoolean(3), reader.GetFieldValue<string[]>(4)));
        }

        return result;
    }

    private static async Task<IReadOnlyList<string>> ShelterIdsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long userId,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT shelter_id FROM user_shelters WHERE user_id = $1 ORDER BY shelter_id", connection, transaction);
        command.Parameters.AddWithValue(userId);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
        return ids;
    }
}

public sealed record NewStaffAccount(string UserName, string DisplayName, string Role, string Password, IReadOnlyList<string> ShelterIds);

public sealed record StaffAccountListing(string UserName, string DisplayName, string Role, bool Disabled, IReadOnlyList<string> ShelterIds);
